import type Koa from 'koa';
import type { Connection } from 'mongoose';
import type { CardActionRouter } from '../chat/card-actions.js';
import type { CommandRegistry } from '../chat/commands/registry.js';
import type { Config, FeishuCredentials } from '../config/env.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { composeFeatures, type FeatureServices } from '../features/index.js';
import type { EventIntake } from '../feishu/event-intake.js';
import type { FeishuMessenger } from '../feishu/messenger/feishu-messenger.js';
import type { OutboxWorker } from '../feishu/messenger/outbox-worker.js';
import { Scheduler } from '../jobs/scheduler.js';
import type { Logger } from '../log/logger.js';
import type { ProblemFigures } from '../store/figures/problem-figures.js';
import { runMigrations } from '../store/migrations/migration.js';
import type { Models } from '../store/models/index.js';
import type { OutboxStore } from '../store/outbox-store.js';
import { connectInbound } from './inbound.js';
import { buildInfrastructure, openDatabase } from './infrastructure.js';
import { listen } from './listen.js';
import { Shutdown } from './shutdown.js';

export interface StartBotOptions {
  config: Config;
  /** Credentials to use when config has none (local mode hands in its fake's). */
  credentials?: FeishuCredentials;
  logger: Logger;
  clock?: Clock;
  /** Host to listen on; all interfaces by default, loopback in tests. */
  host?: string;
  /** Scheduler polling; tests shorten it. */
  schedulerProcessEvery?: string | number;
  /** A name for this instance in logs and Agenda locks. */
  instanceName?: string;
  /** Local mode only: the trial page and its API, served by the bot's own HTTP app. */
  localRoutes?: Koa.Middleware;
  /** Local mode only: how far its settable clock runs ahead of the system clock, for Agenda's runs. */
  schedulerShiftMs?: () => number;
}

/** Everything a running bot exposes to main, local mode, tests and benches. */
export interface RunningBot extends FeatureServices {
  url: string;
  port: number;
  connection: Connection;
  models: Models;
  intake: EventIntake;
  outbox: { store: OutboxStore; worker: OutboxWorker };
  messenger: FeishuMessenger;
  scheduler: Scheduler;
  commands: CommandRegistry;
  cardActions: CardActionRouter;
  /** The problem figures' refresher: `drain()` recomputes every section still marked. */
  problemFigures: ProblemFigures;
  stop(): Promise<void>;
}

/**
 * The composition root: connects, builds the shared infrastructure, lets every feature
 * (src/features) contribute its commands, buttons, message handlers, jobs and migrations,
 * listens, and knows how to stop.
 */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const credentials = config.feishu.credentials ?? options.credentials;
  if (!credentials) throw new Error('startBot needs Feishu credentials (or local mode)');
  const shutdown = new Shutdown(logger);
  try {
    const db = await openDatabase(config, logger, shutdown);
    const { infra, worker } = buildInfrastructure({ config, credentials, models: db.models, clock, logger });
    const features = composeFeatures(infra);
    const inbound = connectInbound(infra, features, options.instanceName);
    await runMigrations(db.connection.db!, features.migrations, clock, logger.child({ component: 'migrations' }));

    const scheduler = new Scheduler(
      db.connection.db!,
      [...inbound.jobs, ...features.jobs],
      logger.child({ component: 'scheduler' }),
      {
        timezone: config.timezone,
        processEvery: options.schedulerProcessEvery,
        name: options.instanceName,
        shiftMs: options.schedulerShiftMs,
      },
    );
    await scheduler.start();
    shutdown.push(() => scheduler.stop());
    worker.start();
    shutdown.push(() => worker.stop());
    // Problem figures are recomputed off the request path: changes only mark their sections.
    const problemFigures = infra.stores.issues.figures;
    problemFigures.start();
    shutdown.push(() => problemFigures.stop());

    const port = await listen({
      ...{ config, credentials, host: options.host, intake: inbound.intake, scheduler, clock, logger, shutdown },
      localRoutes: options.localRoutes,
      ...{ connection: db.connection, dbServer: db.server },
    });
    logger.info({ port, transport: config.feishu.transport, domain: config.feishu.domain }, 'bot started');

    let stopping: Promise<void> | undefined;
    return {
      ...features.services,
      url: `http://127.0.0.1:${port}`,
      port,
      connection: db.connection,
      models: db.models,
      intake: inbound.intake,
      outbox: { store: infra.outbox, worker },
      messenger: infra.messenger,
      scheduler,
      commands: infra.commands,
      cardActions: features.cardActions,
      problemFigures,
      stop: () => (stopping ??= shutdown.run().then(() => logger.info('bot stopped'))),
    };
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}
