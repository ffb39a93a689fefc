import { systemClock } from '../domain/clock.js';
import { composeFeatures } from '../features/index.js';
import { Scheduler } from '../jobs/scheduler.js';
import { runMigrations } from '../store/migrations/migration.js';
import { connectInbound } from './inbound.js';
import { buildInfrastructure, openDatabase } from './infrastructure.js';
import { listen } from './listen.js';
import type { RunningBot, StartBotOptions } from './running-bot.js';
import { Shutdown } from './shutdown.js';

export type { RunningBot, StartBotOptions };

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
    // Background loops: the outbox sender, and the problem figures' refresher (changes only mark sections).
    const problemFigures = infra.stores.issues.figures;
    for (const loop of [worker, problemFigures]) {
      loop.start();
      shutdown.push(() => loop.stop());
    }

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
      stores: infra.stores,
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
