import type * as lark from '@larksuiteoapi/node-sdk';
import type { CardActionRouter } from '../chat/card-actions.js';
import type { Command } from '../chat/commands/command.js';
import type { CommandRegistry } from '../chat/commands/registry.js';
import type { MessageHandlerDeps } from '../chat/message-handler.js';
import type { Config } from '../config/env.js';
import type { Clock } from '../domain/clock.js';
import type { FeishuApi } from '../feishu/messenger/feishu-api.js';
import type { FeishuMessenger } from '../feishu/messenger/feishu-messenger.js';
import type { JobDefinition } from '../jobs/definitions.js';
import type { Logger } from '../log/logger.js';
import type { Migration } from '../store/migrations/migration.js';
import type { Models } from '../store/models/index.js';
import type { OutboxStore } from '../store/outbox-store.js';
import type { SharedStores } from './stores.js';

/** What every feature builds on: made once by startBot, before any feature. */
export interface Infrastructure {
  config: Config;
  timeZone: string;
  clock: Clock;
  logger: Logger;
  models: Models;
  /** The SDK client, for features that read from Feishu (contacts, files people send). */
  client: lark.Client;
  api: FeishuApi;
  messenger: FeishuMessenger;
  outbox: OutboxStore;
  /** Repositories several features read; each is built once. */
  stores: SharedStores;
  /** Every feature's commands end up here; /帮助 lists it. */
  commands: CommandRegistry;
}

/** A handler for messages that are not commands (a file, a reply in a card's thread). */
export type MessageHandler = NonNullable<MessageHandlerDeps['fileHandlers']>[number];

/**
 * What one feature contributes. Its commands are listed by /帮助 and its message handlers
 * are tried in the order features are listed in features/index.ts.
 */
export interface Feature<Exports = unknown> {
  /** Services other features (and tests, through RunningBot) use. */
  exports: Exports;
  commands?: Command[];
  /** Registers the feature's buttons on the router. */
  cardActions?: (router: CardActionRouter) => void;
  messageHandlers?: MessageHandler[];
  jobs?: JobDefinition[];
  /** Run-once data changes the feature's records need after an upgrade. */
  migrations?: Migration[];
}

/** Builds another feature (once, however many ask) and returns its exports. */
export type Use = <Exports>(module: FeatureModule<Exports>) => Exports;

/** A feature: builds its services once from the infrastructure and the features it uses. */
export type FeatureModule<Exports = unknown> = (infra: Infrastructure, use: Use) => Feature<Exports>;

/**
 * Builds every listed feature, each once: a feature another one uses is built when first
 * used, so the list is in the order of contributions, not of dependencies.
 */
export function buildFeatures(infra: Infrastructure, modules: readonly FeatureModule[]) {
  const built = new Map<FeatureModule, Feature>();
  const building = new Set<FeatureModule>();
  const build = (module: FeatureModule): Feature => {
    const done = built.get(module);
    if (done) return done;
    if (building.has(module)) throw new Error(`feature ${module.name} uses itself through another feature`);
    building.add(module);
    const feature = module(infra, use);
    building.delete(module);
    built.set(module, feature);
    return feature;
  };
  const use: Use = <Exports>(module: FeatureModule<Exports>) => build(module).exports as Exports;
  const features = modules.map(build);
  for (const module of built.keys()) {
    // A feature built only because another uses it would lose its commands, buttons and jobs.
    if (!modules.includes(module)) throw new Error(`feature ${module.name} is used but not listed`);
  }
  return { features, use };
}
