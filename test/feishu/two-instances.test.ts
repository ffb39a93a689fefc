import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageReceived } from '../../src/feishu/fake/event-builders.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { startTestBot, TEST_APP, type TestBot } from '../helpers/bot.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/** Two bot instances behind a load balancer on one database: each event is handled once. */

let db: TestDatabase;
let fake: FakeFeishu;
let a: TestBot;
let b: TestBot;

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret });
  a = await startTestBot({ mongoUri: db.uri, fake, name: 'a' });
  b = await startTestBot({ mongoUri: db.uri, fake, name: 'b' });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await fake?.stop();
  await db?.close();
});

describe('two instances on one database', () => {
  it('processes an event delivered to both, several times, exactly once', async () => {
    const events = Array.from({ length: 5 }, (_, i) =>
      messageReceived({
        text: '/帮助',
        senderOpenId: `ou_example_${i}`,
        chatId: `oc_p2p_${i}`,
        chatType: 'p2p',
        token: TEST_APP.verificationToken,
      }),
    );
    // Every event goes to both instances at the same moment, and once more to each.
    const posts = events.flatMap((event) => [a.post(event), b.post(event), a.post(event), b.post(event)]);
    const statuses = (await Promise.all(posts)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await Promise.all([a.settle(), b.settle()]);

    const replies = fake.messages();
    expect(replies).toHaveLength(5);
    expect(new Set(replies.map((m) => m.parentId))).toEqual(new Set(events.map((e) => e.event.message.message_id)));
    expect(await db.connection.collection('inbox_seen').countDocuments()).toBe(5);
    expect(await db.connection.collection('inbox_events').countDocuments()).toBe(0);
    const duplicates =
      a.logs.find('duplicate delivery acknowledged, not processed').length +
      b.logs.find('duplicate delivery acknowledged, not processed').length;
    expect(duplicates).toBe(15);
  });
});
