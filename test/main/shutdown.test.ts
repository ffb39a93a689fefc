import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageReceived } from '../../src/feishu/fake/event-builders.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { startTestBot, TEST_APP } from '../helpers/bot.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let fake: FakeFeishu;

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});

describe('graceful shutdown', () => {
  it('finishes events in flight and sends their replies before it stops', async () => {
    const t = await startTestBot({ mongoUri: db.uri, fake });
    const events = Array.from({ length: 4 }, (_, i) =>
      messageReceived({
        text: '/帮助',
        senderOpenId: `ou_bye_${i}`,
        chatId: `oc_bye_${i}`,
        chatType: 'p2p',
        token: TEST_APP.verificationToken,
      }),
    );
    for (const event of events) expect((await t.post(event)).status).toBe(200);
    await t.bot.stop();
    expect(fake.messages()).toHaveLength(4);
    // Every event was received and none is left unfinished.
    expect(await db.connection.collection('inbox_seen').countDocuments()).toBe(4);
    expect(await db.connection.collection('inbox_events').countDocuments()).toBe(0);
    // Stopped means stopped: the port no longer answers.
    await expect(fetch(`${t.bot.url}/healthz`)).rejects.toThrow();
  });
});
