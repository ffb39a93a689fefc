import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { FeishuApi } from '../../src/feishu/messenger/feishu-api.js';
import { FeishuMessenger } from '../../src/feishu/messenger/feishu-messenger.js';
import { messageUuid } from '../../src/feishu/messenger/message-uuid.js';
import { OutboxWorker } from '../../src/feishu/messenger/outbox-worker.js';
import { RateLimiter } from '../../src/feishu/messenger/rate-limiter.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { OutboxStore } from '../../src/store/outbox-store.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { captureLogs, quietSdkLogger } from '../helpers/logs.js';

/**
 * Feishu refusing every send for a minute — a storm of 429s, then an outage of 5xx — on a
 * manual clock: the outbox keeps every queued reply and, once Feishu answers again, delivers
 * each exactly once, under its own uuid. Nothing is kept as failed.
 */

let db: TestDatabase;
let fake: FakeFeishu;
let models: Models;
let clock: ManualClock;
let store: OutboxStore;
let worker: OutboxWorker;
let messenger: FeishuMessenger;

const REPLY = /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/;

beforeAll(async () => {
  db = await openTestDatabase();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  clock = new ManualClock('2026-12-01T02:00:00Z');
  fake = await FakeFeishu.start({
    appId: 'cli_faults',
    appSecret: 'secret',
    clock,
    rateClock: () => clock.now().getTime(),
  });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});
beforeEach(() => {
  fake.reset();
  const client = new lark.Client({
    appId: 'cli_faults',
    appSecret: 'secret',
    domain: fake.url,
    logger: quietSdkLogger,
  });
  store = new OutboxStore(models.outboxMessages, clock);
  worker = new OutboxWorker(store, new FeishuApi(client), new RateLimiter(), clock, captureLogs().logger);
  messenger = new FeishuMessenger(store, worker);
});

/** Queues 20 replies, as a burst of commands would, and runs the outbox on fake time until all are delivered. */
async function twentyRepliesThrough(
  storm: { status: number; seconds: number; headers?: Record<string, string> },
  prefix: string,
) {
  const start = clock.now().getTime();
  fake.inject({
    path: REPLY,
    status: storm.status,
    headers: storm.headers,
    until: new Date(start + storm.seconds * 1000),
  });
  const keys = Array.from({ length: 20 }, (_, i) => `${prefix}:${i}`);
  for (const [i, key] of keys.entries()) {
    await messenger.reply(
      key,
      `om_user_${prefix}_${i}`,
      { kind: 'text', text: `第${i + 1}条回复` },
      { chatId: `oc_${prefix}_${i % 4}` },
    );
  }
  // From one due retry to the next, as the worker's loop wakes, for at most ten minutes.
  while (clock.now().getTime() < start + 10 * 60_000) {
    await worker.drain();
    const next = await models.outboxMessages
      .find({ key: { $in: keys } })
      .sort({ nextAttemptAt: 1 })
      .limit(1)
      .lean();
    if (next.length === 0) break;
    clock.set(Math.max(next[0]!.nextAttemptAt.getTime(), clock.now().getTime() + 1));
  }
  const replies = fake.callsTo(REPLY);
  const delivered = replies.filter((c) => c.status === 200 && !c.injected);
  return { keys, replies, delivered, elapsedMs: clock.now().getTime() - start };
}

describe('delivery through a minute of refusals', () => {
  it('rides out 60 s of 429 on every send and delivers each reply once', { timeout: 120_000 }, async () => {
    const storm = {
      status: 429,
      seconds: 60,
      headers: { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': '5' },
    };
    const { keys, replies, delivered, elapsedMs } = await twentyRepliesThrough(storm, 'storm');
    expect(replies.filter((c) => c.injected).length).toBeGreaterThanOrEqual(20 * 10); // refused all minute long
    expect(elapsedMs).toBeGreaterThanOrEqual(60_000);
    expect(elapsedMs).toBeLessThan(67_000); // retried at the reset Feishu gave, not minutes later
    const perUuid = new Map<string, number>();
    for (const call of delivered) {
      const uuid = (call.body as { uuid: string }).uuid;
      perUuid.set(uuid, (perUuid.get(uuid) ?? 0) + 1);
    }
    expect(perUuid).toEqual(new Map(keys.map((k) => [messageUuid(k), 1])));
    for (const key of keys) expect(await store.findByKey(key)).toMatchObject({ status: 'sent' });
    expect(await store.listFailed()).toEqual([]);
  });

  it('rides out a 60 s 5xx outage and delivers each reply once when Feishu recovers', {
    timeout: 120_000,
  }, async () => {
    const { keys, replies, delivered, elapsedMs } = await twentyRepliesThrough({ status: 503, seconds: 60 }, 'outage');
    expect(replies.some((c) => c.injected)).toBe(true);
    expect(elapsedMs).toBeGreaterThanOrEqual(60_000);
    const uuids = delivered.map((c) => (c.body as { uuid: string }).uuid).sort();
    expect(uuids).toEqual(keys.map(messageUuid).sort());
    expect(
      fake
        .messages()
        .map((m) => (m.content as { text: string }).text)
        .sort(),
    ).toEqual(keys.map((_, i) => `第${i + 1}条回复`).sort());
    expect(await store.listFailed()).toEqual([]);
  });
});
