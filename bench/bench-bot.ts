import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/env.js';
import { FakeFeishu } from '../src/feishu/fake/fake-feishu.js';
import { silentLogger } from '../src/log/logger.js';
import { type RunningBot, startBot } from '../src/main/start-bot.js';
import { provisionMongoServer } from '../src/store/provision/mongo-server.js';
import { TEST_APP } from '../test/helpers/bot.js';
import { tracedUri } from './db-trace.js';

export interface BenchBot {
  bot: RunningBot;
  fake: FakeFeishu;
  /** Stops the bot, the fake and the embedded database, and removes its data. */
  stop: () => Promise<void>;
}

/**
 * A whole bot for a bench's server process: MONGODB_URI when set (a real MongoDB), else a
 * fresh embedded database; the fake Feishu; loopback only. `traced` counts database commands.
 */
export async function startBenchBot(database: string, options: { traced?: boolean } = {}): Promise<BenchBot> {
  const logger = silentLogger();
  const dataDir = await mkdtemp(join(tmpdir(), 'hehu-bench-'));
  const db = process.env.MONGODB_URI ? undefined : await provisionMongoServer({ dataDir, logger });
  const fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret });
  const bot = await startBot({
    config: loadConfig({
      MONGODB_URI: tracedUri(process.env.MONGODB_URI ?? `${db?.uri ?? ''}${database}`, options.traced ?? false),
      PORT: '0',
      FEISHU_APP_ID: TEST_APP.appId,
      FEISHU_APP_SECRET: TEST_APP.appSecret,
      FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
      FEISHU_ENCRYPT_KEY: TEST_APP.encryptKey,
      FEISHU_DOMAIN: fake.url,
    }),
    logger,
    host: '127.0.0.1',
  });
  return {
    bot,
    fake,
    stop: async () => {
      await bot.stop();
      await fake.stop();
      await db?.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
