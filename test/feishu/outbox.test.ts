import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { callbackTokenFor } from '../../src/feishu/fake/callback-token.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { FeishuApi } from '../../src/feishu/messenger/feishu-api.js';
import { FeishuMessenger } from '../../src/feishu/messenger/feishu-messenger.js';
import { OutboxWorker } from '../../src/feishu/messenger/outbox-worker.js';
import { RateLimiter } from '../../src/feishu/messenger/rate-limiter.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { OutboxStore } from '../../src/store/outbox-store.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { captureLogs, type CapturedLogs } from '../helpers/logs.js';

/**
 * The outbox against the real SDK, a fake Feishu and a real database, with a manual clock:
 * `drain()` does what is due at the clock's "now", so retries are tested without sleeping.
 */

let db: TestDatabase;
let fake: FakeFeishu;
let models: Models;
let clock: ManualClock;
let logs: CapturedLogs;
let store: OutboxStore;
let worker: OutboxWorker;
let messenger: FeishuMessenger;

beforeAll(async () => {
  db = await openTestDatabase();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  fake = await FakeFeishu.start({ appId: 'cli_outbox', appSecret: 'secret' });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});
beforeEach(async () => {
  await models.outboxMessages.deleteMany({});
  fake.reset();
  clock = new ManualClock('2026-11-29T02:00:00Z');
  logs = captureLogs();
  const client = new lark.Client({ appId: 'cli_outbox', appSecret: 'secret', domain: fake.url, logger: quietSdk });
  store = new OutboxStore(models.outboxMessages, clock);
  worker = new OutboxWorker(store, new FeishuApi(client), new RateLimiter(), clock, logs.logger);
  messenger = new FeishuMessenger(store, worker);
});

const quietSdk = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const text = (t: string) => ({ kind: 'text' as const, text: t });

describe('outbox delivery', () => {
  it('delivers a message once, however often the same key is sent', async () => {
    await messenger.send('greeting:1', { openId: 'ou_example_zhang' }, text('您好'));
    await messenger.send('greeting:1', { openId: 'ou_example_zhang' }, text('您好'));
    expect(await worker.drain()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    await messenger.send('greeting:1', { openId: 'ou_example_zhang' }, text('您好'));
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 0, failed: 0 });
    const sent = fake.messages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ receiveId: 'ou_example_zhang', msgType: 'text', content: { text: '您好' } });
    expect(await messenger.deliveredMessageId('greeting:1')).toBe(sent[0]?.messageId);
  });

  it('retries a 429 after x-ogw-ratelimit-reset and delivers it once', async () => {
    fake.inject({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      status: 429,
      headers: { 'x-ogw-ratelimit-reset': '3' },
      body: { code: 99991400, msg: 'request trigger frequency limit' },
    });
    await messenger.send('limited:1', { chatId: 'oc_example_dadu' }, text('巡河提醒'));

    expect(await worker.drain()).toEqual({ sent: 0, deferred: 1, failed: 0 });
    expect(fake.messages()).toHaveLength(0);

    clock.advance(2_000); // before the reset: nothing is tried
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 0, failed: 0 });
    expect(fake.callsTo('/open-apis/im/v1/messages').filter((c) => c.method === 'POST')).toHaveLength(1);

    clock.advance(1_000); // the reset has passed
    expect(await worker.drain()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    expect(fake.messages()).toHaveLength(1);
    expect(fake.messages()[0]?.content).toEqual({ text: '巡河提醒' });
    const record = await store.findByKey('limited:1');
    expect(record).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('backs off on 5xx and keeps a message that never gets through as failed, not lost', async () => {
    fake.inject({ method: 'POST', path: '/open-apis/im/v1/messages', status: 503, times: 100, body: { code: 1, msg: 'unavailable' } });
    await messenger.send('doomed:1', { openId: 'ou_example_li' }, text('会议通知'));
    // The first attempt goes out at once; each later one when its backoff has passed.
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const result = await worker.drain();
      const after = await store.findByKey('doomed:1');
      if (after?.status === 'failed') {
        expect(result).toEqual({ sent: 0, deferred: 0, failed: 1 });
        break;
      }
      expect(result).toEqual({ sent: 0, deferred: 1, failed: 0 });
      expect(after).toMatchObject({ status: 'pending', attempts: attempt });
      delays.push((after?.nextAttemptAt.getTime() ?? 0) - clock.now().getTime());
      clock.set(after?.nextAttemptAt ?? clock.now());
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    const record = await store.findByKey('doomed:1');
    expect(record).toMatchObject({ status: 'failed', attempts: 6 });
    expect(record?.lastError).toContain('503');
    expect((await store.listFailed()).map((r) => r.key)).toEqual(['doomed:1']);
    expect(logs.find('message could not be delivered; kept as failed')).toHaveLength(1);
    // Nothing more is attempted for it.
    clock.advance(60 * 60_000);
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 0, failed: 0 });
  });

  it('treats a 200 answer with a non-zero code as a final error', async () => {
    fake.inject({ method: 'POST', path: '/open-apis/im/v1/messages', status: 200, body: { code: 230002, msg: 'Bot/User can NOT be out of the chat.' } });
    await messenger.send('outside:1', { chatId: 'oc_not_joined' }, text('通知'));
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 0, failed: 1 });
    expect(await store.findByKey('outside:1')).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await store.findByKey('outside:1'))?.lastError).toContain('230002');
  });

  it('holds back the sixth message to one person within a second', async () => {
    for (let i = 1; i <= 6; i++) await messenger.send(`burst:${i}`, { openId: 'ou_example_wang' }, text(`第${i}条`));
    expect(await worker.drain()).toEqual({ sent: 5, deferred: 1, failed: 0 });
    clock.advance(1_000);
    expect(await worker.drain()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    expect(fake.messages()).toHaveLength(6);
    // Being held back by our own limiter is not a failed attempt.
    expect(await store.findByKey('burst:6')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('replies, patches a card, updates by callback token and buzzes', async () => {
    const card = { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '待办' }] } };
    await messenger.send('card:1', { chatId: 'oc_example_dadu' }, { kind: 'card', card });
    await worker.drain();
    const messageId = await messenger.deliveredMessageId('card:1');
    expect(messageId).toBeDefined();
    const updated = { ...card, body: { elements: [{ tag: 'markdown', content: '已完成' }] } };
    await messenger.updateCard('card:1:v2', messageId!, updated);
    await messenger.reply('card:1:reply', messageId!, text('收到'), { inThread: true });
    await messenger.urgent('card:1:buzz', messageId!, ['ou_example_zhang']);
    await worker.drain();
    const tapped = { ...card, body: { elements: [{ tag: 'markdown', content: '已确认' }] } };
    await messenger.updateCardByToken('card:1:tap', callbackTokenFor(messageId!), tapped);
    expect(await worker.drain()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    expect(fake.message(messageId!)?.updates.at(-1)).toEqual(tapped);
    const stored = fake.message(messageId!);
    expect(stored?.updates).toContainEqual(updated);
    expect(stored?.urgentTo).toEqual(['ou_example_zhang']);
    const reply = fake.messages().find((m) => m.parentId === messageId);
    expect(reply).toMatchObject({ replyInThread: true, content: { text: '收到' } });
  });
});
