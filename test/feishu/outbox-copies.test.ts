import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { FeishuApi } from '../../src/feishu/messenger/feishu-api.js';
import { FeishuMessenger } from '../../src/feishu/messenger/feishu-messenger.js';
import { OutboxWorker } from '../../src/feishu/messenger/outbox-worker.js';
import { RateLimiter } from '../../src/feishu/messenger/rate-limiter.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { OutboxStore } from '../../src/store/outbox-store.js';
import { updateDeliveredCards } from '../../src/workflows/card-copies.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { captureLogs, quietSdkLogger } from '../helpers/logs.js';

/**
 * Card copies past Feishu's 14-day update window, the per-chat frequency limit, and files
 * sent to several places: the outbox against the real SDK, a fake Feishu and a real database.
 */

let db: TestDatabase;
let fake: FakeFeishu;
let models: Models;
let clock: ManualClock;
let store: OutboxStore;
let worker: OutboxWorker;
let messenger: FeishuMessenger;
let client: lark.Client;

const DAY = 24 * 3_600_000;
const card = (state: string) => ({
  schema: '2.0',
  config: { update_multi: true },
  body: { elements: [{ tag: 'markdown', content: state }] },
});

function startWorker(): void {
  store = new OutboxStore(models.outboxMessages, clock);
  worker = new OutboxWorker(store, new FeishuApi(client), new RateLimiter(), clock, captureLogs().logger);
  messenger = new FeishuMessenger(store, worker);
}

beforeAll(async () => {
  db = await openTestDatabase();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  // Feishu's frequency limits run on the test's clock, as the outbox's own limiter does.
  fake = await FakeFeishu.start({ appId: 'cli_copies', appSecret: 'secret', rateClock: () => clock.now().getTime() });
  client = new lark.Client({ appId: 'cli_copies', appSecret: 'secret', domain: fake.url, logger: quietSdkLogger });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});
beforeEach(async () => {
  await models.outboxMessages.deleteMany({});
  await models.uploadedFiles.deleteMany({});
  fake.reset();
  clock = new ManualClock('2026-11-02T02:00:00Z');
  startWorker();
});

describe('card copies and the 14-day window', () => {
  it('patches a copy within 13 days, then sends a fresh card that becomes the copy', async () => {
    await messenger.send('issue:x:card:unit:a', { chatId: 'oc_copies' }, { kind: 'card', card: card('登记') });
    await worker.drain();
    const first = (await messenger.deliveredMessageId('issue:x:card:unit:a'))!;

    clock.advance(5 * DAY);
    await updateDeliveredCards(messenger, ['issue:x:card:unit:a'], 'v2', card('已交办'));
    await worker.drain();
    expect(fake.message(first)?.updates).toEqual([card('已交办')]);
    expect(fake.messages()).toHaveLength(1);

    clock.advance(15 * DAY);
    await updateDeliveredCards(messenger, ['issue:x:card:unit:a'], 'v3', card('整改中'));
    await worker.drain();
    // The old message is left as it was; a fresh card goes to the same chat.
    expect(fake.message(first)?.updates).toHaveLength(1);
    const fresh = fake.messages().filter((m) => m.messageId !== first);
    expect(fresh).toMatchObject([{ chatId: 'oc_copies', msgType: 'interactive', content: card('整改中') }]);
    expect(await messenger.deliveredMessageId('issue:x:card:unit:a')).toBe(fresh[0]!.messageId);
    // A reply in the fresh card's thread is about the same copy.
    expect(await messenger.keyOfMessage(fresh[0]!.messageId)).toBe('issue:x:card:unit:a');
    expect(await models.outboxMessages.countDocuments({ status: 'failed' })).toBe(0);

    // Later changes patch the fresh card.
    clock.advance(DAY);
    await updateDeliveredCards(messenger, ['issue:x:card:unit:a'], 'v4', card('待核查'));
    await worker.drain();
    expect(fake.message(fresh[0]!.messageId)?.updates).toEqual([card('待核查')]);
    expect(fake.messages()).toHaveLength(2);
  });

  it('takes a refused update of an old message as a stale copy and sends a fresh card', async () => {
    await messenger.send('doc:d:card:dm:p', { openId: 'ou_copies_p' }, { kind: 'card', card: card('待审定') });
    await worker.drain();
    const first = (await messenger.deliveredMessageId('doc:d:card:dm:p'))!;
    // Feishu's clock may run ahead of ours: it refuses as too old while we still count 13 days.
    clock.advance(12 * DAY);
    fake.inject({
      method: 'PATCH',
      path: `/open-apis/im/v1/messages/${first}`,
      status: 400,
      body: { code: 230031, msg: 'Message can only be modified within 14 days after sending.' },
    });
    await updateDeliveredCards(messenger, ['doc:d:card:dm:p'], 'v2', card('已审定'));
    await worker.drain();
    const fresh = fake.messages().filter((m) => m.messageId !== first);
    expect(fresh).toMatchObject([{ receiveIdType: 'open_id', receiveId: 'ou_copies_p', content: card('已审定') }]);
    expect(await messenger.deliveredMessageId('doc:d:card:dm:p')).toBe(fresh[0]!.messageId);
    expect(await models.outboxMessages.countDocuments({ status: 'failed' })).toBe(0);
  });

  it('sends one fresh card for an old message however many updates queue up, and applies the last', async () => {
    await messenger.send('s:card:unit:u', { chatId: 'oc_copies_two' }, { kind: 'card', card: card('约谈') });
    await worker.drain();
    const first = (await messenger.deliveredMessageId('s:card:unit:u'))!;
    clock.advance(20 * DAY);
    // The second update is queued before the first one's fresh card is delivered.
    fake.inject({ method: 'POST', path: '/open-apis/im/v1/messages', status: 503 });
    await updateDeliveredCards(messenger, ['s:card:unit:u'], 'a', card('复核中'));
    await worker.idle();
    await updateDeliveredCards(messenger, ['s:card:unit:u'], 'b', card('已复核'));
    for (let i = 0; i < 5; i++) {
      clock.advance(2_000);
      await worker.drain();
    }
    const fresh = fake.messages().filter((m) => m.messageId !== first);
    expect(fresh).toHaveLength(1);
    expect(fake.message(fresh[0]!.messageId)?.updates.at(-1) ?? fresh[0]!.content).toEqual(card('已复核'));
  });

  it('buzzes the fresh card, not a copy too old to act on', async () => {
    await messenger.send('issue:y:card:dm:w', { openId: 'ou_copies_w' }, { kind: 'card', card: card('已交办') });
    await worker.drain();
    const first = (await messenger.deliveredMessageId('issue:y:card:dm:w'))!;
    clock.advance(16 * DAY);
    await messenger.urgentCopy('issue:y:buzz', 'issue:y:card:dm:w', ['ou_copies_w']);
    await updateDeliveredCards(messenger, ['issue:y:card:dm:w'], 'overdue', card('已逾期'));
    for (let i = 0; i < 3; i++) {
      await worker.drain();
      clock.advance(2_000);
    }
    const fresh = fake.messages().find((m) => m.messageId !== first);
    expect(fresh?.urgentTo).toEqual(['ou_copies_w']);
    expect(fake.message(first)?.urgentTo).toEqual([]);
  });
});

describe('limits and files', () => {
  it('retries the per-chat frequency limit (230020) with backoff, like a 429', async () => {
    fake.inject({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      status: 400,
      body: { code: 230020, msg: 'This operation triggers the frequency limit.' },
    });
    await messenger.send('busy:1', { chatId: 'oc_busy' }, { kind: 'text', text: '通知' });
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 1, failed: 0 });
    const waiting = await store.findByKey('busy:1');
    expect(waiting).toMatchObject({ status: 'pending' });
    expect(waiting?.lastError).toContain('230020');
    clock.set(waiting!.nextAttemptAt);
    expect(await worker.drain()).toEqual({ sent: 1, deferred: 0, failed: 0 });
  });

  it('uploads a file sent to several places once and reuses its file_key', async () => {
    const file = {
      kind: 'file' as const,
      fileName: '问题台账.xlsx',
      fileType: 'xls' as const,
      data: Buffer.from('ledger bytes'),
    };
    await messenger.send('ledger:a', { chatId: 'oc_files_a' }, file);
    await messenger.send('ledger:b', { openId: 'ou_files_b' }, file);
    expect(await worker.drain()).toEqual({ sent: 2, deferred: 0, failed: 0 });
    expect(fake.callsTo('/open-apis/im/v1/files')).toHaveLength(1);
    const keys = fake.messages().map((m) => (m.content as { file_key: string }).file_key);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    // Another process (or a restart) finds the upload in the database.
    startWorker();
    await messenger.send('ledger:c', { chatId: 'oc_files_c' }, file);
    await worker.drain();
    expect(fake.callsTo('/open-apis/im/v1/files')).toHaveLength(1);
  });

  it('keeps Feishu’s code when an upload is refused', async () => {
    const file = {
      kind: 'file' as const,
      fileName: '纪要.docx',
      fileType: 'doc' as const,
      data: Buffer.from('docx bytes'),
    };
    fake.inject({
      method: 'POST',
      path: '/open-apis/im/v1/files',
      status: 400,
      body: { code: 234001, msg: 'Invalid request param.' },
    });
    await messenger.send('minutes:a', { chatId: 'oc_files_a' }, file);
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 0, failed: 1 });
    // A 200 answer with a non-zero code keeps its code too.
    fake.inject({
      method: 'POST',
      path: '/open-apis/im/v1/files',
      status: 200,
      body: { code: 234006, msg: 'The file size exceeds the limit.' },
    });
    await messenger.send('minutes:b', { chatId: 'oc_files_b' }, { ...file, fileName: '纪要（定稿）.docx' });
    expect(await worker.drain()).toEqual({ sent: 0, deferred: 0, failed: 1 });
    expect((await store.findByKey('minutes:a'))?.lastError).toContain('234001');
    expect((await store.findByKey('minutes:b'))?.lastError).toContain('234006');
  });
});

describe('updates of one card', () => {
  it('never put an older state back: an update retried after an outage yields to a newer one delivered meanwhile', async () => {
    await messenger.send('issue:y:card:unit:a', { chatId: 'oc_order' }, { kind: 'card', card: card('登记') });
    await worker.drain();
    const message = (await messenger.deliveredMessageId('issue:y:card:unit:a'))!;
    // Feishu fails the first update (a 5xx blip); it is kept for a retry.
    fake.inject({ method: 'PATCH', path: `/open-apis/im/v1/messages/${message}`, status: 503 });
    await updateDeliveredCards(messenger, ['issue:y:card:unit:a'], 'v2', card('已交办'));
    expect(await worker.drain()).toMatchObject({ sent: 0, deferred: 1 });
    // The next change's update goes through while the first waits for its retry.
    clock.advance(1_000);
    await updateDeliveredCards(messenger, ['issue:y:card:unit:a'], 'v3', card('整改中'));
    await worker.drain();
    expect(fake.message(message)?.updates).toEqual([card('整改中')]);
    // The retry comes due: the card keeps the newer state, and the old update is settled, not failed.
    clock.advance(10 * 60_000);
    await worker.drain();
    expect(fake.message(message)?.updates).toEqual([card('整改中')]);
    expect(await store.findByKey('issue:y:card:unit:a:update:v2')).toMatchObject({ status: 'sent', outdated: true });
    expect(await models.outboxMessages.countDocuments({})).toBe(0);
    expect(await store.listFailed()).toEqual([]);
  });

  it('never put an older state on the fresh card that replaced a copy too old to update', async () => {
    await messenger.send('issue:w:card:unit:a', { chatId: 'oc_fresh_order' }, { kind: 'card', card: card('登记') });
    await worker.drain();
    const old = (await messenger.deliveredMessageId('issue:w:card:unit:a'))!;
    // Just inside the update window, Feishu fails an update; it waits for its retry...
    clock.advance(13 * DAY - 3_600_000);
    fake.inject({ method: 'PATCH', path: `/open-apis/im/v1/messages/${old}`, status: 503 });
    await updateDeliveredCards(messenger, ['issue:w:card:unit:a'], 'v2', card('已交办'));
    expect(await worker.drain()).toMatchObject({ sent: 0, deferred: 1 });
    // ...past which the next change goes out as a fresh card carrying the newer state.
    clock.advance(2 * 3_600_000);
    await updateDeliveredCards(messenger, ['issue:w:card:unit:a'], 'v3', card('整改中'));
    for (let round = 0; round < 4; round++) {
      await worker.drain();
      clock.advance(10 * 60_000);
    }
    const fresh = (await messenger.deliveredMessageId('issue:w:card:unit:a'))!;
    expect(fresh).not.toBe(old);
    const shown = fake.message(fresh);
    expect(shown?.updates.at(-1) ?? shown?.content).toEqual(card('整改中'));
    expect(await store.findByKey('issue:w:card:unit:a:update:v2')).toMatchObject({ status: 'sent', outdated: true });
    expect(await models.outboxMessages.countDocuments({})).toBe(0);
  });

  it('end on the newest of many updates queued at once, however they are sent', async () => {
    await messenger.send('issue:z:card:unit:a', { chatId: 'oc_burst' }, { kind: 'card', card: card('登记') });
    await worker.drain();
    const message = (await messenger.deliveredMessageId('issue:z:card:unit:a'))!;
    // Nine changes in one instant: more than Feishu's five updates a second per message, so
    // some wait for the limit and several are in flight together.
    for (let v = 1; v <= 9; v++)
      await updateDeliveredCards(messenger, ['issue:z:card:unit:a'], `v${v}`, card(`第${v}版`));
    for (let round = 0; round < 5; round++) {
      await worker.drain();
      clock.advance(1_000);
    }
    const updates = fake.message(message)?.updates ?? [];
    expect(updates.at(-1)).toEqual(card('第9版'));
    // Each update shown is newer than the one before it.
    const versions = updates.map((u) => Number(/第(\d)版/.exec(JSON.stringify(u))![1]));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    // Those held back by the limit (第6–8版) had a newer update queued behind them: not sent.
    expect(versions.filter((v) => v >= 6 && v <= 8)).toEqual([]);
    expect(await models.outboxMessages.countDocuments({})).toBe(0);
  });
});
