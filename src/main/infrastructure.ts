import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Connection } from 'mongoose';
import { CommandRegistry } from '../chat/commands/registry.js';
import type { Config, FeishuCredentials } from '../config/env.js';
import type { Clock } from '../domain/clock.js';
import type { Infrastructure } from '../features/feature.js';
import { buildSharedStores } from '../features/stores.js';
import { FeishuApi } from '../feishu/messenger/feishu-api.js';
import { FeishuMessenger } from '../feishu/messenger/feishu-messenger.js';
import { DEFAULT_RETRY, OutboxWorker } from '../feishu/messenger/outbox-worker.js';
import { RateLimiter } from '../feishu/messenger/rate-limiter.js';
import { feishuClient } from '../feishu/sdk-client.js';
import type { Logger } from '../log/logger.js';
import { connectDatabase } from '../store/connection.js';
import { bindModels, ensureIndexes, type Models } from '../store/models/index.js';
import { OutboxStore } from '../store/outbox-store.js';
import { ensureEqualityIndexes } from '../store/provision/equality-indexes.js';
import { type MongoServerHandle, provisionMongoServer } from '../store/provision/mongo-server.js';
import { sdkLogger } from './sdk-logger.js';
import type { Shutdown } from './shutdown.js';

export interface OpenDatabase {
  connection: Connection;
  models: Models;
  /** The embedded server, when no MONGODB_URI is set. */
  server?: MongoServerHandle;
}

/** Connects to MONGODB_URI, or to the embedded database it starts in the data directory. */
export async function openDatabase(config: Config, logger: Logger, shutdown: Shutdown): Promise<OpenDatabase> {
  let server: MongoServerHandle | undefined;
  if (!config.mongodbUri) {
    server = await provisionMongoServer({ dataDir: join(config.dataDir, 'db'), logger, role: 'bot' });
    shutdown.push(() => server?.stop());
  }
  const connection = await connectDatabase(config.mongodbUri ?? server?.uri ?? '');
  shutdown.push(() => connection.close());
  const models = bindModels(connection);
  await ensureIndexes(models);
  if (server?.postgres) await ensureEqualityIndexes(server.postgres, logger, { expectNone: true });
  return { connection, models, server };
}

/** The shared infrastructure every feature builds on, and the outbox worker that sends for them. */
export function buildInfrastructure(input: {
  config: Config;
  credentials: FeishuCredentials;
  models: Models;
  clock: Clock;
  logger: Logger;
}): { infra: Infrastructure; worker: OutboxWorker } {
  const { config, credentials, models, clock, logger } = input;
  const client = feishuClient({
    appId: credentials.appId,
    appSecret: credentials.appSecret,
    domain: config.feishu.domain,
    logger: sdkLogger(logger),
    loggerLevel: lark.LoggerLevel.warn,
  });
  const api = new FeishuApi(client);
  const outbox = new OutboxStore(models.outboxMessages, clock);
  const worker = new OutboxWorker(outbox, api, new RateLimiter(), clock, logger.child({ component: 'outbox' }), {
    ...DEFAULT_RETRY,
    giveUpAfterMs: config.outbox.giveUpAfterMs,
  });
  const infra: Infrastructure = {
    config,
    timeZone: config.timezone,
    clock,
    logger,
    models,
    client,
    api,
    messenger: new FeishuMessenger(outbox, worker),
    outbox,
    stores: buildSharedStores(models, clock, config.timezone),
    commands: new CommandRegistry(),
  };
  return { infra, worker };
}
