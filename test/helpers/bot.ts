import { loadConfig } from '../../src/config/env.js';
import type { Clock } from '../../src/domain/clock.js';
import { type PostedResponse, postSigned, type SealOptions } from '../../src/feishu/fake/event-builders.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { type RunningBot, startBot } from '../../src/main/start-bot.js';
import { type CapturedLogs, captureLogs } from './logs.js';

export const TEST_APP = {
  appId: 'cli_testapp0001',
  appSecret: 'test-app-secret-value',
  verificationToken: 'test-verification-token',
  encryptKey: 'test-encrypt-key-value',
};

export interface TestBot {
  bot: RunningBot;
  fake: FakeFeishu;
  logs: CapturedLogs;
  /** Seals (encrypts and signs unless told otherwise) and posts to /webhook/event or /webhook/card. */
  post: (payload: unknown, options?: SealOptions & { path?: string }) => Promise<PostedResponse>;
  /** Waits until every event taken so far is processed and the outbox has sent what it can. */
  settle: () => Promise<void>;
  close: () => Promise<void>;
}

export interface TestBotOptions {
  mongoUri: string;
  fake?: FakeFeishu;
  clock?: Clock;
  /** Set to undefined to run without encryption. */
  encryptKey?: string | undefined;
  env?: Record<string, string>;
  name?: string;
}

/** A whole bot on a real HTTP port and a real database, talking to a fake Feishu. */
export async function startTestBot(options: TestBotOptions): Promise<TestBot> {
  // The fake keeps the test's time: a card's 14-day window and the 5-per-second patch limit
  // are judged on the same clock the bot runs on, so a test that moves time moves both.
  const clock = options.clock;
  const fake =
    options.fake ??
    (await FakeFeishu.start({
      appId: TEST_APP.appId,
      appSecret: TEST_APP.appSecret,
      clock,
      rateClock: clock && (() => clock.now().getTime()),
    }));
  const encryptKey = 'encryptKey' in options ? options.encryptKey : TEST_APP.encryptKey;
  const logs = captureLogs();
  const config = loadConfig({
    MONGODB_URI: options.mongoUri,
    PORT: '0',
    FEISHU_APP_ID: TEST_APP.appId,
    FEISHU_APP_SECRET: TEST_APP.appSecret,
    FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
    FEISHU_ENCRYPT_KEY: encryptKey,
    FEISHU_DOMAIN: fake.url,
    ...options.env,
  });
  const bot = await startBot({
    config,
    logger: logs.logger.child({ instance: options.name ?? 'a' }),
    clock: options.clock,
    host: '127.0.0.1',
    instanceName: options.name,
  });
  return {
    bot,
    fake,
    logs,
    post: (payload, { path = '/webhook/event', ...seal } = {}) =>
      postSigned(`${bot.url}${path}`, payload, { encryptKey, clock: options.clock, ...seal }),
    settle: async () => {
      await bot.intake.idle();
      await bot.outbox.worker.drain();
      await bot.problemFigures.drain();
    },
    close: async () => {
      await bot.stop();
      if (!options.fake) await fake.stop();
    },
  };
}
