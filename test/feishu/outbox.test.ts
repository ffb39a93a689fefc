import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FeishuApiError, FeishuNetworkError } from '../../src/errors.js';
import { callbackTokenFor } from '../../src/feishu/fake/callback-token.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { FeishuApi } from '../../src/feishu/messenger/feishu-api.js';
import { FeishuMessenger } from '../../src/feishu/messenger/feishu-messenger.js';
import { messageUuid } from '../../src/feishu/messenger/message-uuid.js';
import { OutboxWorker } from '../../src/feishu/messenger/outbox-worker.js';
import { RateLimiter } from '../../src/feishu/messenger/rate-limiter.js';
import { DEFAULT_RETRY, type RetryPolicy, retryDelayMs } from '../../src/feishu/messenger/retry-policy.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { OutboxStore } from '../../src/store/outbox-store.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { type CapturedLogs, captureLogs, quietSdkLogger } from '../helpers/logs.js';

/**
 * The outbox against the real SDK, a fake Feishu and a real database, with a manual clock:
 * `drain()` does what is due at the clock's "now", so retries are tested without sleeping.
 * The jitter is pinned to its low end here (random 0), so each backoff is half its step.
 */

let db: TestDatabase;
let fake: FakeFeishu;
let models: Models;
let clock: ManualClock;
let logs: CapturedLogs;
let store: OutboxStore;
let worker: OutboxWorker;
let messenger: FeishuMessenger;
let client: lark.Client;
const RETRY: RetryPolicy = { ...DEFAULT_RETRY, random: () => 0 };

function startWorker(): void {
  store = new OutboxStore(models.outboxMessages, clock);
  worker = new OutboxWorker(store, new FeishuApi(client), new RateLimiter(), clock, logs.logger, RETRY);
  messenger = new FeishuMessenger(store, worker);
}

beforeAll(async () => {
  db = await openTestDatabase();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  // The fake judges its per-card update limit on the test's clock, as the outbox does.
  fake = await FakeFeishu.start({ appId: 'cli_outbox', appSecret: 'secret', rateClock: () => clock.now().getTime() });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});
beforeEach(async () => {
  await models.outboxMessages.deleteMany({});
  await models.outboxSettled.deleteMany({});
  await models.outboxMessageIds.deleteMany({});
  await models.outboxLeases.deleteMany({});
  fake.reset();
  clock = new ManualClock('2026-11-29T02:00:00Z');
  logs = captureLogs();
  client = new lark.Client({ appId: 'cli_outbox', appSecret: 'secret', domain: fake.url, logger: quietSdkLogger });
  startWorker();
});

const HOUR = 3_600_000;
const createCalls = () =>
  fake
    .callsTo('/open-apis/im/v1/messages')
    .filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages');

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

  it('tells which message the bot sent by its Feishu id, also one recorded by an earlier version, before and after housekeeping', async () => {
    await messenger.send('greeting:2', { openId: 'ou_example_zhang' }, text('您好'));
    await worker.drain();
    const sent = fake.messages()[0]!;
    expect(await messenger.keyOfMessage(sent.messageId)).toBe('greeting:2');
    expect(await messenger.keyOfMessage('om_unknown')).toBeUndefined();
    // Earlier versions kept message ids in a collection of their own.
    const at = clock.now();
    const operation = {
      op: 'send',
      receiveIdType: 'open_id',
      receiveId: 'ou_example_zhang',
      msgType: 'text',
      content: '',
    } as const;
    await models.outboxSettled.create({
      _id: 'greeting:0',
      key: 'greeting:0',
      operation,
      rateKey: 'ou_example_zhang',
      status: 'sent',
      createdAt: at,
      nextAttemptAt: at,
      sentAt: at,
      messageId: 'om_earlier',
    });
    await models.outboxMessageIds.create({ _id: 'om_earlier', key: 'greeting:0' });
    expect(await messenger.keyOfMessage('om_earlier')).toBe('greeting:0');
    expect(await worker.housekeep()).toBe(1);
    expect(await models.outboxMessageIds.countDocuments()).toBe(0);
    expect(await messenger.keyOfMessage('om_earlier')).toBe('greeting:0');
    expect(await messenger.keyOfMessage(sent.messageId)).toBe('greeting:2');
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

  it('backs off on 5xx, capped, until the give-up time, and only then keeps the message as failed, not lost', async () => {
    // A day by default (OUTBOX_GIVE_UP_AFTER_HOURS); three hours here keep the test short.
    expect(DEFAULT_RETRY.giveUpAfterMs).toBe(24 * HOUR);
    worker = new OutboxWorker(store, new FeishuApi(client), new RateLimiter(), clock, logs.logger, {
      ...RETRY,
      giveUpAfterMs: 3 * HOUR,
    });
    messenger = new FeishuMessenger(store, worker);
    fake.inject({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      status: 503,
      times: 100_000,
      body: { code: 1, msg: 'unavailable' },
    });
    const queuedAt = clock.now().getTime();
    await messenger.send('doomed:1', { openId: 'ou_example_li' }, text('会议通知'));
    // The first attempt goes out at once; each later one when its backoff has passed.
    const delays: number[] = [];
    for (;;) {
      await worker.drain();
      const after = await store.findByKey('doomed:1');
      if (after?.status !== 'pending') break;
      delays.push((after.nextAttemptAt.getTime() ?? 0) - clock.now().getTime());
      clock.set(after.nextAttemptAt);
    }
    // Exponential from a second (half of each step with the jitter pinned low), capped at five minutes.
    expect(delays.slice(0, 5)).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
    expect(Math.max(...delays)).toBe(RETRY.maxDelayMs / 2);
    // The last attempt is made at the give-up time itself.
    expect(clock.now().getTime()).toBe(queuedAt + 3 * HOUR);
    const record = await store.findByKey('doomed:1');
    expect(record).toMatchObject({ status: 'failed', attempts: delays.length + 1 });
    expect(record?.lastError).toContain('503');
    expect((await store.listFailed()).map((r) => r.key)).toEqual(['doomed:1']);
    expect(logs.find('message could not be delivered; kept as failed')).toHaveLength(1);
    // Nothing more is attempted for it.
    const calls = createCalls().length;
    clock.advance(HOUR);
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 0, failed: 0 });
    expect(createCalls()).toHaveLength(calls);
  });

  it('delivers a message held up by an outage of hours as soon as Feishu answers again', async () => {
    fake.inject({ method: 'POST', path: '/open-apis/im/v1/messages', status: 502, times: 100_000 });
    await messenger.send('outage:1', { chatId: 'oc_example_dadu' }, text('巡河提醒'));
    const recovery = clock.now().getTime() + 2 * HOUR;
    while (clock.now().getTime() < recovery) {
      await worker.drain();
      const pending = await store.findByKey('outage:1');
      expect(pending?.status).toBe('pending');
      clock.set(pending!.nextAttemptAt);
    }
    fake.reset(); // Feishu is back
    clock.advance(RETRY.maxDelayMs);
    expect(await worker.drain()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    expect(fake.messages()).toHaveLength(1);
    expect(await store.findByKey('outage:1')).toMatchObject({ status: 'sent' });
  });

  it("sends one uuid per message, within Feishu's 50 characters, across attempts and restarts", async () => {
    const key = 'issue:issue_0000000000000000000001:assigned:unit_township_0001:card';
    expect(key.length).toBeGreaterThan(50);
    fake.inject({ method: 'POST', path: '/open-apis/im/v1/messages', status: 503, times: 1 });
    await messenger.send(key, { chatId: 'oc_example_dadu' }, text('请处理'));
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 1, failed: 0 });
    // A restart: a new store and worker on the same database pick the retry up.
    startWorker();
    clock.advance(HOUR);
    expect(await worker.drain()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    const uuids = createCalls().map((c) => (c.body as { uuid?: string }).uuid);
    expect(uuids).toEqual([messageUuid(key), messageUuid(key)]);
    expect(messageUuid(key).length).toBeLessThanOrEqual(50);
    expect(fake.messages()).toHaveLength(1);
  });

  it('spreads backoffs with jitter and honours x-ogw-ratelimit-reset', () => {
    const steps = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000];
    for (let attempts = 1; attempts <= steps.length; attempts++) {
      const step = steps[attempts - 1]!;
      const delays = Array.from({ length: 50 }, () =>
        retryDelayMs(DEFAULT_RETRY, new FeishuNetworkError('ECONNRESET'), attempts),
      );
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(step / 2);
      expect(Math.max(...delays)).toBeLessThanOrEqual(step);
      expect(new Set(delays).size).toBeGreaterThan(1);
    }
    const limited = new FeishuApiError(429, 99991400, 'request trigger frequency limit', 7);
    const waits = Array.from({ length: 50 }, () => retryDelayMs(DEFAULT_RETRY, limited, 3));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(7_000);
    expect(Math.max(...waits)).toBeLessThan(8_000);
  });

  it('treats a 200 answer with a non-zero code as a final error', async () => {
    fake.inject({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      status: 200,
      body: { code: 230002, msg: 'Bot/User can NOT be out of the chat.' },
    });
    await messenger.send('outside:1', { chatId: 'oc_not_joined' }, text('通知'));
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 0, failed: 1 });
    expect(await store.findByKey('outside:1')).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await store.findByKey('outside:1'))?.lastError).toContain('230002');
  });

  it('limits each Feishu API on its own: card updates neither wait for nor hold up sends', async () => {
    const cards: string[] = [];
    for (let i = 0; i < 10; i++) {
      await messenger.send(
        `lanes:card:${i}`,
        { openId: `ou_lanes_${i}` },
        {
          kind: 'card',
          card: {
            schema: '2.0',
            config: { update_multi: true },
            body: { elements: [{ tag: 'markdown', content: '待办' }] },
          },
        },
      );
    }
    await worker.drain();
    for (let i = 0; i < 10; i++) cards.push((await messenger.deliveredMessageId(`lanes:card:${i}`))!);
    clock.advance(1_000);
    // Within one second: 50 sends (the app's 50/s for sends) and 50 card updates, five per card.
    for (let i = 0; i < 50; i++)
      await messenger.send(`lanes:text:${i}`, { openId: `ou_lanes_text_${i}` }, text('通知'));
    for (const [i, id] of cards.entries()) {
      for (let n = 0; n < 5; n++) {
        await messenger.updateCard(`lanes:patch:${i}:${n}`, id, {
          schema: '2.0',
          config: { update_multi: true },
          body: { elements: [{ tag: 'markdown', content: `第${n}次` }] },
        });
      }
    }
    // A sixth update of one card within the second waits: Feishu allows 5 a second per message.
    await messenger.updateCard('lanes:patch:0:5', cards[0]!, {
      schema: '2.0',
      config: { update_multi: true },
      body: { elements: [{ tag: 'markdown', content: '第5次' }] },
    });
    expect(await worker.drain()).toEqual({ sent: 100, deferred: 1, failed: 0 });
    clock.advance(1_000);
    expect(await worker.drain()).toEqual({ sent: 1, deferred: 0, failed: 0 });
    expect(
      fake.callsTo(/^\/open-apis\/im\/v1\/messages\/[^/]+$/).filter((c) => c.method === 'PATCH' && c.status !== 200),
    ).toEqual([]);
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
    const card = {
      schema: '2.0',
      config: { update_multi: true },
      body: { elements: [{ tag: 'markdown', content: '待办' }] },
    };
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
