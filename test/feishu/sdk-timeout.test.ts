import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { FeishuApi } from '../../src/feishu/messenger/feishu-api.js';
import { FeishuMessenger } from '../../src/feishu/messenger/feishu-messenger.js';
import { messageUuid } from '../../src/feishu/messenger/message-uuid.js';
import { OutboxWorker } from '../../src/feishu/messenger/outbox-worker.js';
import { RateLimiter } from '../../src/feishu/messenger/rate-limiter.js';
import { feishuClient } from '../../src/feishu/sdk-client.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { OutboxStore } from '../../src/store/outbox-store.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { captureLogs, quietSdkLogger } from '../helpers/logs.js';
import { StallingNetwork } from '../helpers/stalling-network.js';

/**
 * A call to Feishu that never answers: the SDK's client gives up after its timeout (small
 * here, ten seconds in the bot), the outbox counts it as a network failure and sends again
 * later under the same uuid, so the person gets the reply once. The clock the outbox and the
 * fake read is manual; only the timeout itself passes on the wall clock.
 */

const TIMEOUT_MS = 300;
const REPLY = /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/;
const TOKEN = /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/;

let db: TestDatabase;
let fake: FakeFeishu;
let network: StallingNetwork;
let models: Models;
let clock: ManualClock;

beforeAll(async () => {
  db = await openTestDatabase();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  clock = new ManualClock('2026-12-01T02:00:00Z');
  // No app fixed: each test is its own app, so none finds a token cached by another.
  fake = await FakeFeishu.start({ clock, rateClock: () => clock.now().getTime() });
  network = await StallingNetwork.start(fake.url);
});
afterAll(async () => {
  await network?.stop();
  await fake?.stop();
  await db?.close();
});

function outboxThroughNetwork(appId: string) {
  const client = feishuClient({
    appId,
    appSecret: 'secret',
    domain: network.url,
    logger: quietSdkLogger,
    timeoutMs: TIMEOUT_MS,
  });
  const store = new OutboxStore(models.outboxMessages, clock);
  const worker = new OutboxWorker(store, new FeishuApi(client), new RateLimiter(), clock, captureLogs().logger);
  return { store, worker, messenger: new FeishuMessenger(store, worker) };
}

/** Runs the outbox, moving the clock to each retry, until the message is no longer waiting. */
async function deliver(worker: OutboxWorker, key: string): Promise<{ attempts: number }> {
  for (let round = 0; round < 10; round++) {
    await worker.drain();
    const waiting = await models.outboxMessages.findOne({ key }).lean();
    if (!waiting) return { attempts: round + 1 };
    clock.set(Math.max(waiting.nextAttemptAt.getTime(), clock.now().getTime() + 1));
  }
  throw new Error(`${key} still waiting after 10 rounds`);
}

const texts = (chatMessages: ReturnType<FakeFeishu['messages']>) =>
  chatMessages.map((m) => (m.content as { text?: string }).text);

describe('a Feishu call that hangs', () => {
  it('times out and is sent again, once, when the request never reached Feishu', { timeout: 20_000 }, async () => {
    const { store, worker, messenger } = outboxThroughNetwork('cli_timeout_request');
    network.stall({ method: 'POST', path: REPLY, times: 1, lose: 'request' });
    const started = performance.now();
    await messenger.reply(
      'hang:request',
      'om_user_hang_1',
      { kind: 'text', text: '已收到，正在处理' },
      { chatId: 'oc_hang_1' },
    );

    const { attempts } = await deliver(worker, 'hang:request');

    expect(attempts).toBe(2);
    expect(network.stalled).toContain('POST /open-apis/im/v1/messages/om_user_hang_1/reply');
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 5_000); // not stuck on the hung call
    expect(texts(fake.messages({ parentId: 'om_user_hang_1' }))).toEqual(['已收到，正在处理']);
    expect(await store.findByKey('hang:request')).toMatchObject({ status: 'sent' });
    expect(await store.listFailed()).toEqual([]);
  });

  it('is sent again under the same uuid when Feishu acted but its answer was lost', { timeout: 20_000 }, async () => {
    const { store, worker, messenger } = outboxThroughNetwork('cli_timeout_answer');
    network.stall({ method: 'POST', path: REPLY, times: 1, lose: 'answer' });
    const before = fake.callsTo(REPLY).length;
    await messenger.reply(
      'hang:answer',
      'om_user_hang_2',
      { kind: 'text', text: '整改已完成' },
      { chatId: 'oc_hang_2' },
    );

    await deliver(worker, 'hang:answer');

    const calls = fake.callsTo(REPLY).slice(before);
    expect(calls.map((c) => (c.body as { uuid?: string }).uuid)).toEqual([
      messageUuid('hang:answer'),
      messageUuid('hang:answer'),
    ]);
    // Feishu dropped the repeat by its uuid: one message in the chat.
    expect(texts(fake.messages({ parentId: 'om_user_hang_2' }))).toEqual(['整改已完成']);
    expect(await store.findByKey('hang:answer')).toMatchObject({ status: 'sent' });
  });

  it('gives up on a hung token request too, and sends with the next token', { timeout: 20_000 }, async () => {
    const { store, worker, messenger } = outboxThroughNetwork('cli_timeout_token');
    network.stall({ method: 'POST', path: TOKEN, times: 1, lose: 'request' });
    await messenger.reply(
      'hang:token',
      'om_user_hang_3',
      { kind: 'text', text: '请于本周内完成巡河' },
      { chatId: 'oc_hang_3' },
    );

    const { attempts } = await deliver(worker, 'hang:token');

    expect(attempts).toBe(2);
    expect(network.stalled).toContain('POST /open-apis/auth/v3/tenant_access_token/internal');
    expect(texts(fake.messages({ parentId: 'om_user_hang_3' }))).toEqual(['请于本周内完成巡河']);
    expect(await store.findByKey('hang:token')).toMatchObject({ status: 'sent' });
  });
});
