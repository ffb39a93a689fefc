import { describe, expect, it } from 'vitest';
import { messageReceived, urlVerification } from '../../src/feishu/fake/event-builders.js';
import { encryptPayload } from '../../src/feishu/transport/crypto.js';
import { TEST_APP } from '../helpers/bot.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** An app configured without an Encrypt Key: plain JSON, checked by its verification token. */

const t = useTestBot({ encryptKey: undefined });

describe('plain transport', () => {
  it('answers a plain challenge', async () => {
    const res = await t.post(urlVerification({ challenge: 'plain-1', token: TEST_APP.verificationToken }));
    expect(res.json).toEqual({ challenge: 'plain-1' });
  });

  it('processes an event with the right token and rejects a wrong one', async () => {
    const good = messageReceived({
      text: '/help',
      senderOpenId: 'ou_p',
      chatId: 'oc_p',
      chatType: 'p2p',
      token: TEST_APP.verificationToken,
    });
    const bad = messageReceived({
      text: '/help',
      senderOpenId: 'ou_p',
      chatId: 'oc_p',
      chatType: 'p2p',
      token: 'guess',
    });
    expect((await t.post(good)).status).toBe(200);
    expect((await t.post(bad)).status).toBe(401);
    await t.settle();
    expect(t.fake.messages()).toHaveLength(1);
  });

  it('refuses an encrypted body it has no key for with 400', async () => {
    const body = JSON.stringify({ encrypt: encryptPayload('{}', 'some-key') });
    const res = await fetch(`${t.bot.url}/webhook/event`, { method: 'POST', body });
    expect(res.status).toBe(400);
  });
});
