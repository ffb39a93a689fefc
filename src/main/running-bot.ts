import type Koa from 'koa';
import type { Connection } from 'mongoose';
import type { CardActionRouter } from '../chat/card-actions.js';
import type { CommandRegistry } from '../chat/commands/registry.js';
import type { Config, FeishuCredentials } from '../config/env.js';
import type { Clock } from '../domain/clock.js';
import type { FeatureServices } from '../features/index.js';
import type { SharedStores } from '../features/stores.js';
import type { EventIntake } from '../feishu/event-intake.js';
import type { FeishuMessenger } from '../feishu/messenger/feishu-messenger.js';
import type { OutboxWorker } from '../feishu/messenger/outbox-worker.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { Logger } from '../log/logger.js';
import type { ProblemFigures } from '../store/figures/problem-figures.js';
import type { Models } from '../store/models/index.js';
import type { OutboxStore } from '../store/outbox-store.js';

/** What startBot takes, and what a running bot exposes to main, local mode, tests and benches. */

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
  /** The repositories features share, as the bot built them: tests and scripts read records through these. */
  stores: SharedStores;
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
