import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FakeFeishu, type RecordedCall } from '../../src/feishu/fake/fake-feishu.js';
import { messageUuid } from '../../src/feishu/messenger/message-uuid.js';
import { startTestBot, TEST_APP, type TestBot } from '../helpers/bot.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * Two bot instances on one database (the embedded FerretDB in the test run) both queue the
 * same 200 replies, card updates and buzzes, then both sweep their retries at once: Feishu
 * receives each exactly once — counted per uuid for replies, and per message for updates and
 * buzzes, which carry no uuid for Feishu to drop a repeat by.
 */

let db: TestDatabase;
let fake: FakeFeishu;
let a: TestBot;
let b: TestBot;
const clock = new ManualClock('2026-12-01T02:00:00Z');

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await FakeFeishu.start({
    appId: TEST_APP.appId,
    appSecret: TEST_APP.appSecret,
    clock,
    rateClock: () => clock.now().getTime(),
  });
  a = await startTestBot({ mongoUri: db.uri, fake, name: 'a', clock });
  b = await startTestBot({ mongoUri: db.uri, fake, name: 'b', clock });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await fake?.stop();
  await db?.close();
});

const ok = (calls: RecordedCall[]) => calls.filter((c) => c.status === 200 && !c.injected);
function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Both instances sweep at the same moments until nothing is left to send. */
async function sweepBoth(): Promise<void> {
  for (let round = 0; round < 200; round++) {
    await Promise.all([a.bot.outbox.worker.drain(), b.bot.outbox.worker.drain()]);
    if ((await a.bot.models.outboxMessages.countDocuments({ status: { $in: ['pending', 'sending'] } })) === 0) return;
    clock.advance(1_000);
  }
  throw new Error('the outbox did not empty');
}

describe('two instances on one database, one outbox', () => {
  it('send each of 200 replies once', { timeout: 180_000 }, async () => {
    // Feishu pushes back the first attempts, so the retries are left to both instances' sweeps.
    fake.inject({ path: /\/reply$/, status: 429, times: 150 });
    const keys = Array.from({ length: 200 }, (_, i) => `two:reply:${i}`);
    await Promise.all(
      keys.flatMap((key, i) =>
        [a, b].map((t) =>
          t.bot.messenger.reply(
            key,
            `om_user_two_${i}`,
            { kind: 'text', text: `收到 ${i}` },
            { chatId: `oc_two_${i % 10}` },
          ),
        ),
      ),
    );
    await sweepBoth();
    const perUuid = countBy(ok(fake.callsTo(/\/reply$/)), (c) => (c.body as { uuid: string }).uuid);
    expect(perUuid).toEqual(new Map(keys.map((k) => [messageUuid(k), 1])));
  });

  it('update each card and buzz each person once', { timeout: 180_000 }, async () => {
    const card = (state: string) => ({
      kind: 'card' as const,
      card: {
        schema: '2.0',
        config: { update_multi: true },
        body: { elements: [{ tag: 'markdown', content: state }] },
      },
    });
    const cards = Array.from({ length: 20 }, (_, i) => `two:card:${i}`);
    for (const [i, key] of cards.entries())
      await a.bot.messenger.send(key, { chatId: `oc_two_card_${i}` }, card('待办'));
    await sweepBoth();
    const ids = await Promise.all(cards.map(async (key) => (await a.bot.messenger.deliveredMessageId(key))!));
    fake.inject({ method: 'PATCH', path: /^\/open-apis\/im\/v1\/messages\/[^/]+$/, status: 500, times: 15 });
    fake.inject({ method: 'PATCH', path: /\/urgent_app$/, status: 503, times: 15 });
    await Promise.all(
      ids.flatMap((id, i) =>
        [a, b].flatMap((t) => [
          t.bot.messenger.updateCard(`two:update:${i}`, id, card('已办结').card),
          t.bot.messenger.urgent(`two:buzz:${i}`, id, [`ou_two_${i}`]),
        ]),
      ),
    );
    await sweepBoth();
    const patches = countBy(
      ok(fake.callsTo(/^\/open-apis\/im\/v1\/messages\/[^/]+$/).filter((c) => c.method === 'PATCH')),
      (c) => c.path,
    );
    expect(patches).toEqual(new Map(ids.map((id) => [`/open-apis/im/v1/messages/${id}`, 1])));
    const buzzes = countBy(ok(fake.callsTo(/\/urgent_app$/)), (c) => c.path);
    expect(buzzes).toEqual(new Map(ids.map((id) => [`/open-apis/im/v1/messages/${id}/urgent_app`, 1])));
    for (const [i, id] of ids.entries()) expect(fake.message(id)?.urgentTo).toEqual([`ou_two_${i}`]);
  });
});
