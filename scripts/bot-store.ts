import { join } from 'node:path';
import type { Connection } from 'mongoose';
import type { Config } from '../src/config/env.js';
import type { Logger } from '../src/log/logger.js';
import { connectDatabase } from '../src/store/connection.js';
import { provisionMongoServer } from '../src/store/provision/mongo-server.js';
import { isStoreRefusal } from '../src/store/provision/store-refusal.js';

export interface BotStore {
  connection: Connection;
  /** Closes the connection, and the embedded server if this command started it. */
  close(): Promise<void>;
}

/**
 * The bot's own store, for a command: MONGODB_URI, or the embedded one under BOT_DATA_DIR.
 * While the bot runs, its server (recorded in BOT_DATA_DIR/db/owner.json) is used, so the bot
 * sees what the command writes; otherwise the command starts the recorded store itself, never
 * a second one. A store that cannot be opened ends the command with the reason and what to do.
 */
export async function openBotStore(config: Config, logger: Logger, whenBotRuns?: string): Promise<BotStore> {
  const server = config.mongodbUri
    ? undefined
    : await provisionMongoServer({ dataDir: join(config.dataDir, 'db'), logger, role: 'script' }).catch(
        (error: unknown) => {
          if (!isStoreRefusal(error)) throw error;
          console.error(`${error.zh}\n${error.en}`);
          process.exit(1);
        },
      );
  if (server?.shared && whenBotRuns) console.log(whenBotRuns);
  const connection = await connectDatabase(config.mongodbUri ?? server?.uri ?? '');
  return {
    connection,
    close: async () => {
      await connection.close();
      await server?.stop();
    },
  };
}
