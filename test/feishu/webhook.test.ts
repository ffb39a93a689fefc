import { beforeEach, describe, expect, it } from 'vitest';
import {
  cardAction,
  messageReceived,
  sealRequest,
  urlVerification,
  v1Event,
} from '../../src/feishu/fake/event-builders.js';
import { encryptPayload } from '../../src/feishu/transport/crypto.js';
import { TEST_APP } from '../helpers/bot.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** The webhook end to end: real HTTP on port 0, a real database, the real SDK, a fake Feishu. */

const token = TEST_APP.verificationToken;
const helpFrom = (senderOpenId: string, extra: Partial<Parameters<typeof messageReceived>[0]> = {}) =>
  messageReceived({ text: '/帮助', senderOpenId, chatId: `oc_p2p_${senderOpenId}`, chatType: 'p2p', token, ...extra });

const t = useTestBot();
beforeEach(async () => {
  await t.settle();
  t.fake.reset();
  t.logs.lines.length = 0;
});

/** Events received (every id is remembered as seen, done or not). */
async function inboxCount(): Promise<number> {
  return t.bot.models.inboxSeen.countDocuments();
}

describe('url verification', () => {
  it('answers an encrypted challenge', async () => {
    const res = await t.post(urlVerification({ challenge: 'ch-123', token }));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'ch-123' });
  });

  it('refuses a challenge with the wrong token', async () => {
    const res = await t.post(urlVerification({ challenge: 'ch-123', token: 'not-the-token' }));
    expect(res.status).toBe(401);
  });
});

describe('verification', () => {
  it('accepts a correctly signed, encrypted event and processes it', async () => {
    const event = helpFrom('ou_example_zhang');
    const res = await t.post(event);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    await t.settle();
    const replies = t.fake.messages();
    expect(replies).toHaveLength(1);
    expect(replies[0]?.parentId).toBe(event.event.message.message_id);
  });

  it('rejects a bad signature with 401 and processes nothing', async () => {
    const before = await inboxCount();
    const sealed = sealRequest(helpFrom('ou_example_zhang'), { encryptKey: TEST_APP.encryptKey });
    const res = await fetch(`${t.bot.url}/webhook/event`, {
      method: 'POST',
      headers: { ...sealed.headers, 'x-lark-signature': 'f'.repeat(64) },
      body: sealed.body,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
    await t.settle();
    expect(await inboxCount()).toBe(before);
    expect(t.fake.messages()).toHaveLength(0);
    expect(t.logs.find('webhook request rejected')[0]).toMatchObject({ status: 401, reason: 'signature mismatch' });
  });

  it('rejects a body altered after signing', async () => {
    const sealed = sealRequest(helpFrom('ou_example_zhang'), { encryptKey: TEST_APP.encryptKey });
    const other = JSON.stringify({
      encrypt: encryptPayload(JSON.stringify(helpFrom('ou_mallory')), TEST_APP.encryptKey),
    });
    const res = await fetch(`${t.bot.url}/webhook/event`, { method: 'POST', headers: sealed.headers, body: other });
    expect(res.status).toBe(401);
  });

  it('rejects a wrong verification token with 401 and processes nothing', async () => {
    const before = await inboxCount();
    const res = await t.post(helpFrom('ou_example_zhang', { token: 'forged-token' }));
    expect(res.status).toBe(401);
    await t.settle();
    expect(await inboxCount()).toBe(before);
    expect(t.fake.messages()).toHaveLength(0);
    expect(t.logs.find('webhook request rejected')[0]).toMatchObject({ reason: 'verification token mismatch' });
  });

  it('rejects a stale timestamp with 401 and processes nothing', async () => {
    const before = await inboxCount();
    const tenMinutesAgo = String(Math.floor(Date.now() / 1000) - 600);
    const res = await t.post(helpFrom('ou_example_zhang'), { timestamp: tenMinutesAgo });
    expect(res.status).toBe(401);
    await t.settle();
    expect(await inboxCount()).toBe(before);
    expect(t.fake.messages()).toHaveLength(0);
  });

  it('rejects a request without signature headers', async () => {
    const sealed = sealRequest(helpFrom('ou_example_zhang'), { encryptKey: TEST_APP.encryptKey });
    const res = await fetch(`${t.bot.url}/webhook/event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: sealed.body,
    });
    expect(res.status).toBe(401);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await fetch(`${t.bot.url}/webhook/event`, { method: 'POST', body: '{"schema": "2.0", ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_request' });
  });

  it('answers a body over 1 MiB with 413 and keeps serving', async () => {
    const huge = JSON.stringify({ encrypt: 'A'.repeat(1024 * 1024 + 10) });
    const res = await fetch(`${t.bot.url}/webhook/event`, { method: 'POST', body: huge });
    expect(res.status).toBe(413);
    const health = await fetch(`${t.bot.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('never writes the secrets to the log', async () => {
    await t.post(helpFrom('ou_example_zhang', { token: 'forged-token' }));
    await t.post(helpFrom('ou_example_zhang'));
    await t.settle();
    const text = t.logs.text();
    expect(text).not.toContain(TEST_APP.encryptKey);
    expect(text).not.toContain(TEST_APP.appSecret);
    expect(text).not.toContain(TEST_APP.verificationToken);
  });
});

describe('de-duplication', () => {
  it('processes an event delivered three times exactly once', async () => {
    const event = helpFrom('ou_example_li');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.post(event)).status);
    expect(statuses).toEqual([200, 200, 200]);
    await t.settle();
    expect(t.fake.messages()).toHaveLength(1);
    expect(t.logs.find('duplicate delivery acknowledged, not processed')).toHaveLength(2);
  });

  it('accepts v1 envelopes and de-duplicates them by uuid', async () => {
    const event = v1Event({ uuid: 'v1-uuid-1', token, type: 'some_old_event', event: { type: 'some_old_event' } });
    expect((await t.post(event)).status).toBe(200);
    expect((await t.post(event)).status).toBe(200);
    await t.settle();
    expect(await t.bot.models.inboxSeen.countDocuments({ _id: 'v1-uuid-1' })).toBe(1);
  });
});

describe('events', () => {
  it('acknowledges an unknown event type with 200 and logs it', async () => {
    const payload = {
      schema: '2.0',
      header: { event_id: 'evt-unknown-1', event_type: 'drive.file.edit_v1', token },
      event: {},
    };
    const res = await t.post(payload);
    expect(res.status).toBe(200);
    await t.settle();
    expect(t.logs.find('event type not handled; acknowledged and ignored')[0]).toMatchObject({
      eventId: 'evt-unknown-1',
    });
  });

  it('routes a card callback to its action and answers with the toast', async () => {
    t.bot.cardActions.register('test.ping', (input) =>
      Promise.resolve({ toast: { type: 'success' as const, content: `已收到 ${input.operatorOpenId}` } }),
    );
    const res = await t.post(
      cardAction({
        operatorOpenId: 'ou_example_wang',
        value: { a: 'test.ping', v: 1 },
        messageId: 'om_1',
        chatId: 'oc_1',
        verificationToken: token,
      }),
      { path: '/webhook/card' },
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ toast: { type: 'success', content: '已收到 ou_example_wang' } });
  });

  it('answers a card callback with an unknown action by a polite error toast', async () => {
    const res = await t.post(
      cardAction({
        operatorOpenId: 'ou_example_wang',
        value: { a: 'no.such.action' },
        messageId: 'om_1',
        chatId: 'oc_1',
        verificationToken: token,
      }),
      { path: '/webhook/card' },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ toast: { type: 'error' } });
  });
});
