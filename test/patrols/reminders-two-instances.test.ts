import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { startTestBot, TEST_APP, type TestBot } from '../helpers/bot.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { importExampleDistrict } from '../helpers/district.js';

/** Two instances running the reminder job at the same moment send each reminder once. */

const clock = new ManualClock('2026-11-24T09:05:00+08:00');
let db: TestDatabase;
let fake: FakeFeishu;
let a: TestBot;
let b: TestBot;

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret });
  a = await startTestBot({ mongoUri: db.uri, fake, clock, name: 'a' });
  b = await startTestBot({ mongoUri: db.uri, fake, clock, name: 'b' });
  await importExampleDistrict(fake, a.bot.models, clock);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await fake?.stop();
  await db?.close();
});

describe('reminders across instances', () => {
  it('sends each reminder once when both instances sweep at once, twice over', async () => {
    await Promise.all([a.bot.patrols.sweep(clock.now()), b.bot.patrols.sweep(clock.now())]);
    await Promise.all([a.bot.patrols.sweep(clock.now()), b.bot.patrols.sweep(clock.now())]);
    await Promise.all([a.settle(), b.settle()]);
    const reminders = fake.messages().filter((m) => JSON.stringify(m.content).includes('巡河提醒'));
    // Monthly duties in the example: 2 district river chiefs, 4 township and 2 village duties.
    expect(reminders).toHaveLength(8);
    expect(new Set(reminders.map((m) => JSON.stringify(m.content))).size).toBe(8);
  });
});
