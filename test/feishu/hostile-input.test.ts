import { beforeEach, describe, expect, it } from 'vitest';
import { cardAction, messageReceived } from '../../src/feishu/fake/event-builders.js';
import { InboxStore } from '../../src/store/inbox-store.js';
import { TEST_APP } from '../helpers/bot.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * Signed events whose contents the database cannot store as documents ($-keys, nested
 * arrays, NUL characters) or whose ids would steer an API call elsewhere. Each is handled
 * or refused with a 4xx once, never a 500 that Feishu would retry for hours.
 */

const token = TEST_APP.verificationToken;
const t = useTestBot();
beforeEach(async () => {
  await t.settle();
  t.fake.reset();
});

const tap = (value: Record<string, unknown>, extra: Partial<Parameters<typeof cardAction>[0]> = {}) =>
  cardAction({
    operatorOpenId: 'ou_example_zhang',
    messageId: 'om_0123456789abcdef0123456789abcdef',
    chatId: 'oc_p2p_ou_example_zhang',
    value,
    verificationToken: token,
    ...extra,
  });

async function finished(eventId: string): Promise<boolean> {
  return (await new InboxStore(t.bot.models, { now: () => new Date() }).stateOf(eventId))?.status === 'done';
}

describe('events the database could not store as sent', () => {
  it('answers a tap whose value carries a $-key once, with a toast, and drops its redelivery', async () => {
    const event = tap({ $where: 'x' });
    const res = await t.post(event, { path: '/webhook/card' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ toast: { type: 'error' } });
    expect(await finished(event.header.event_id)).toBe(true);
    expect((await t.post(event, { path: '/webhook/card' })).status).toBe(200);
    expect(t.logs.find('duplicate delivery acknowledged, not processed').length).toBeGreaterThan(0);
  });

  it('answers a tap whose value nests arrays in arrays', async () => {
    const event = tap({
      a: 'issue.accept',
      id: 'x',
      v: [
        [1, 2],
        [3, [4]],
      ],
    });
    const res = await t.post(event, { path: '/webhook/card' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ toast: { type: 'error' } });
    expect(await finished(event.header.event_id)).toBe(true);
  });

  it('handles a message holding a NUL character as if it were not there', async () => {
    const event = messageReceived({
      text: '/帮\u0000助',
      senderOpenId: 'ou_example_zhang',
      chatId: 'oc_p2p_ou_example_zhang',
      chatType: 'p2p',
      token,
    });
    expect((await t.post(event)).status).toBe(200);
    await t.settle();
    expect(await finished(event.header.event_id)).toBe(true);
    // The help card came back: the command was read as /帮助.
    expect(t.fake.messages()).toHaveLength(1);
    expect(t.fake.messages()[0]?.parentId).toBe(event.event.message.message_id);
  });

  it('refuses with 400 a delivery whose event id no Feishu id looks like', async () => {
    const event = messageReceived({
      text: '/帮助',
      senderOpenId: 'ou_example_zhang',
      chatId: 'oc_p2p_ou_example_zhang',
      chatType: 'p2p',
      token,
    });
    event.header.event_id = 'evt\u0000$x';
    expect((await t.post(event)).status).toBe(400);
  });
});

describe('ids that would change an API path', () => {
  it('refuses a message whose message_id climbs out of the route: no call reaches Feishu', async () => {
    const event = messageReceived({
      text: '/帮助',
      senderOpenId: 'ou_example_zhang',
      chatId: 'oc_p2p_ou_example_zhang',
      chatType: 'p2p',
      token,
      messageId: '../../etc/passwd',
    });
    expect((await t.post(event)).status).toBe(200);
    await t.settle();
    expect(await finished(event.header.event_id)).toBe(true);
    expect(t.fake.calls.filter((call) => call.path.includes('etc/passwd') || call.path.includes('/reply'))).toEqual([]);
    expect(t.fake.messages()).toHaveLength(0);
  });

  it('refuses a thread reply whose root_id is a path', async () => {
    const event = messageReceived({
      text: '进展',
      senderOpenId: 'ou_example_zhang',
      chatId: 'oc_group_x',
      chatType: 'group',
      token,
      rootId: 'om_a/../../b',
    });
    expect((await t.post(event)).status).toBe(200);
    await t.settle();
    expect(t.fake.calls.filter((call) => call.path.includes('/messages/'))).toEqual([]);
  });

  it('answers a tap on a message id with a slash with the invalid-card toast and calls nothing', async () => {
    const event = tap({ a: 'issue.accept', id: 'x', v: 1 }, { messageId: 'om_x/../../../im/v1/chats' });
    const res = await t.post(event, { path: '/webhook/card' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ toast: { type: 'error', content: '卡片数据无效，请重新打开最新的卡片后再试。' } });
    await t.settle();
    expect(t.fake.calls.filter((call) => call.method !== 'POST' || !call.path.startsWith('/open-apis/auth/'))).toEqual(
      [],
    );
  });
});
