import { describe, expect, it } from 'vitest';
import { cardAction, messageReceived } from '../../src/feishu/fake/event-builders.js';
import { longConnectionReceiver } from '../../src/feishu/transport/ws.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * The long connection feeds the same intake as the webhook. The WSClient hands each frame,
 * parsed, to our receiver; here the receiver is driven the same way, against a whole bot.
 */

const t = useTestBot();

describe('long connection receiver', () => {
  it('processes a frame once however often it arrives, webhook redeliveries included', async () => {
    const receiver = longConnectionReceiver(t.bot.intake, t.logs.logger);
    const event = messageReceived({ text: '/帮助', senderOpenId: 'ou_ws', chatId: 'oc_ws', chatType: 'p2p' });
    expect(await receiver.invoke(event)).toEqual({});
    expect(await receiver.invoke(event)).toEqual({});
    // The same event id arriving over the webhook too is still a duplicate.
    const sameOverWebhook = { ...event, header: { ...event.header, token: 'test-verification-token' } };
    expect((await t.post(sameOverWebhook)).status).toBe(200);
    await t.settle();
    expect(t.fake.messages()).toHaveLength(1);
  });

  it('answers card callbacks with the handler response', async () => {
    t.bot.cardActions.register('ws.ping', () =>
      Promise.resolve({ toast: { type: 'info' as const, content: '长连接已收到' } }),
    );
    const receiver = longConnectionReceiver(t.bot.intake, t.logs.logger);
    const tap = cardAction({ operatorOpenId: 'ou_ws', value: { a: 'ws.ping' }, messageId: 'om_ws', chatId: 'oc_ws' });
    expect(await receiver.invoke(tap)).toEqual({ toast: { type: 'info', content: '长连接已收到' } });
  });

  it('ignores a frame that is not a Feishu envelope', async () => {
    const receiver = longConnectionReceiver(t.bot.intake, t.logs.logger);
    expect(await receiver.invoke({ hello: 'world' })).toEqual({});
    expect(t.logs.find('long-connection frame rejected')).toHaveLength(1);
  });
});
