import { afterAll, beforeAll } from 'vitest';
import { startTestBot, type TestBot, type TestBotOptions } from './bot.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export type FileTestBot = TestBot & { db: TestDatabase };

/**
 * One whole bot and its own database for a test file: started before the file's tests,
 * stopped and dropped after them. The returned object stands for the started bot, so tests
 * read `t.post(…)`, `t.fake`, `t.bot.models` and `t.db` as if it had been awaited. The
 * database may be one an earlier file emptied (see database.ts): the bot is stopped first.
 */
export function useTestBot(options: Omit<TestBotOptions, 'mongoUri'> = {}): FileTestBot {
  let started: FileTestBot | undefined;
  beforeAll(async () => {
    const db = await openTestDatabase({ reuse: true });
    started = Object.assign(await startTestBot({ ...options, mongoUri: db.uri }), { db });
  });
  afterAll(async () => {
    await started?.close();
    await started?.db.close();
  });
  return new Proxy({} as FileTestBot, {
    get(_target, property) {
      if (!started) throw new Error('the test bot is not started yet: use it inside tests or hooks');
      return started[property as keyof FileTestBot];
    },
  });
}
