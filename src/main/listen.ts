import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Connection } from 'mongoose';
import type { Config, FeishuCredentials } from '../config/env.js';
import type { Clock } from '../domain/clock.js';
import type { EventIntake } from '../feishu/event-intake.js';
import { webhookHandler } from '../feishu/transport/webhook.js';
import { LongConnection } from '../feishu/transport/ws.js';
import { createHttpApp } from '../http/app.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { Logger } from '../log/logger.js';
import { isDatabaseReachable } from '../store/connection.js';
import type { MongoServerHandle } from '../store/provision/mongo-server.js';
import { storeIdentityMatches } from '../store/provision/store-identity.js';
import { sdkLogger } from './sdk-logger.js';
import type { Shutdown } from './shutdown.js';

/**
 * Opens the doors: the HTTP app (webhook, health, readiness) and, when configured, Feishu's
 * long connection. Returns the port listened on.
 */
export async function listen(input: {
  config: Config;
  credentials: FeishuCredentials;
  host?: string;
  intake: EventIntake;
  scheduler: Scheduler;
  connection: Connection;
  dbServer?: MongoServerHandle;
  clock: Clock;
  logger: Logger;
  shutdown: Shutdown;
  /** Local mode only: the trial page and its API. */
  localRoutes?: Koa.Middleware;
}): Promise<number> {
  const { config, credentials, intake, scheduler, connection, dbServer, clock, logger, shutdown } = input;
  const app = createHttpApp({
    logger,
    local: input.localRoutes,
    webhook: webhookHandler({
      secrets: {
        verificationToken: credentials.verificationToken,
        encryptKey: credentials.encryptKey,
        maxClockSkewSeconds: config.feishu.maxClockSkewSeconds,
      },
      intake,
      clock,
      logger: logger.child({ component: 'webhook' }),
    }),
    readiness: async () => {
      const database = await isDatabaseReachable(connection);
      // The embedded store must be the one recorded for the data directory, not merely some database.
      const storeId = dbServer?.storeId;
      const store = database && (storeId ? await storeIdentityMatches(connection.getClient(), storeId) : true);
      const schedulerRunning = scheduler.isRunning;
      return {
        ready: database && store && schedulerRunning,
        checks: { database, store, scheduler: schedulerRunning },
      };
    },
  });

  if (config.feishu.transport === 'ws') {
    const ws = new LongConnection(
      {
        appId: credentials.appId,
        appSecret: credentials.appSecret,
        domain: config.feishu.domain,
        logger,
        sdkLogger: sdkLogger(logger),
      },
      intake,
    );
    await ws.start();
    shutdown.push(() => ws.stop());
  }

  const server: Server = createServer(app.callback());
  // Feishu gives 3 s; anything hanging longer is dead weight.
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, input.host, () => resolve());
  });
  // Stop taking requests first; then let in-flight events finish before the rest closes.
  shutdown.push(() => intake.idle());
  shutdown.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  );
  return (server.address() as AddressInfo).port;
}
