import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/env.js';
import type { FakeFeishu } from '../feishu/fake/fake-feishu.js';
import type { FakeMessage } from '../feishu/fake/fake-types.js';
import type { Logger } from '../log/logger.js';
import { type RunningBot, startBot } from '../main/start-bot.js';
import { DirectoryStore } from '../store/directory-store.js';
import { printMessage } from './console-output.js';
import { LocalApi } from './local-api.js';
import { LocalClock } from './local-clock.js';
import { LocalFakeState } from './local-fake-state.js';
import { type LocalSession, startLocalFeishu, writeLocalSession } from './local-feishu.js';
import { localPageRoutes } from './web/serve.js';

/**
 * Local mode (no Feishu credentials): the bot with its own fake Feishu, a settable clock, the
 * trial page at `/` and its API under `/local/api/`. Used by `npm start` and by the tests.
 */

export const EXAMPLE_DIRECTORY = fileURLToPath(new URL('../../examples/jinkouhe.yaml', import.meta.url));

export interface LocalMode {
  bot: RunningBot;
  fake: FakeFeishu;
  clock: LocalClock;
  api: LocalApi;
  session: LocalSession;
  /** The example directory's import summary when this start imported it; undefined otherwise. */
  exampleImported?: { ok: boolean; title: string; lines: string[] };
  stop(): Promise<void>;
}

export interface LocalModeOptions {
  config: Config;
  logger: Logger;
  /** Loopback in tests; all interfaces by default. */
  host?: string;
  /** Print every message on the console and save sent files (npm start); off in tests. */
  console?: boolean;
  /** Import the example district when the directory is empty (npm start); off unless asked. */
  importExample?: boolean;
}

export async function startLocalMode(options: LocalModeOptions): Promise<LocalMode> {
  const { config, logger } = options;
  const clock = await LocalClock.open(config.dataDir);
  // The chats of earlier runs, kept in the data dir; every change is saved there again.
  const saved = await LocalFakeState.open(config.dataDir, clock, logger);
  const log = saved.log;
  let printing = Promise.resolve();
  // The fake reports its messages from the moment it starts; it is known here right after.
  const started: { fake?: FakeFeishu } = {};
  const onMessage = (message: FakeMessage) => {
    log.record(message);
    const fake = started.fake;
    if (!options.console || !fake) return;
    // One at a time, so saved files do not reorder the console.
    printing = printing.then(() => printMessage(fake, config.dataDir, message));
  };
  const local = await startLocalFeishu(config.dataDir, logger, { clock, onMessage, store: saved.store });
  const fake = local.fake;
  started.fake = fake;
  const api = new LocalApi({
    fake,
    clock,
    session: local.session,
    log,
    timeZone: config.timezone,
    logger,
  });
  const page = localPageRoutes();
  const apiRoutes = api.routes();
  let bot: RunningBot;
  try {
    bot = await startBot({
      config: { ...config, feishu: { ...config.feishu, domain: fake.url, transport: 'webhook' } },
      credentials: local.credentials,
      logger,
      clock,
      host: options.host,
      // The API first, then the page; anything else falls through to 404.
      localRoutes: async (ctx, next) => {
        await apiRoutes(ctx, async () => {
          await page(ctx, next);
        });
      },
      schedulerShiftMs: () => clock.offsetMs,
    });
  } catch (error) {
    await fake.stop();
    await saved.flush();
    throw error;
  }
  api.attach(bot);
  const session = { ...local.session, botUrl: bot.url };
  await writeLocalSession(config.dataDir, session);

  let exampleImported: LocalMode['exampleImported'];
  if (options.importExample && !(await new DirectoryStore(bot.models, clock).loadDirectory())) {
    const text = await readFile(EXAMPLE_DIRECTORY).catch(() => undefined);
    if (text) exampleImported = await api.importDirectory('jinkouhe.yaml', text);
  }
  return {
    bot,
    fake,
    clock,
    api,
    session,
    exampleImported,
    stop: async () => {
      await bot.stop();
      await fake.stop();
      // Uploads no message has carried yet are saved too.
      saved.changed();
      await saved.flush();
      await printing;
    },
  };
}
