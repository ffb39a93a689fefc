import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardAction, messageReceived, sealRequest } from '../../src/feishu/fake/event-builders.js';
import { FakeFeishu, type FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { describeMessage } from '../../src/feishu/fake/render-console.js';
import { computeSignature, decryptPayload } from '../../src/feishu/transport/crypto.js';

const APP_ID = 'cli_fake_test';
const APP_SECRET = 'fake-secret';

let fake: FakeFeishu;

// `loggerLevel: LoggerLevel.fatal` is 0, which the SDK's `level || info` turns back into info; mute it with a logger instead.
const quiet = () => undefined;
const silentSdkLogger = { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet };

/** A real SDK client with its own token cache, so each test sees its own token traffic. */
function sdkClient(overrides: Partial<{ appId: string; appSecret: string }> = {}): lark.Client {
  return new lark.Client({
    appId: overrides.appId ?? APP_ID,
    appSecret: overrides.appSecret ?? APP_SECRET,
    domain: fake.url,
    cache: new lark.DefaultCache(),
    logger: silentSdkLogger,
  });
}

function card(title: string, buttons: Array<{ label: string; value: Record<string, unknown> }>) {
  return {
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: title }, template: 'blue' },
    body: {
      elements: [
        { tag: 'markdown', content: '**河道**：清水河\n问题：垃圾堆积' },
        ...buttons.map((b) => ({
          tag: 'button',
          text: { tag: 'plain_text', content: b.label },
          behaviors: [{ type: 'callback', value: b.value }],
        })),
      ],
    },
  };
}

/** Sends a card with the SDK and returns its stored message. */
async function sendCard(client: lark.Client, chatId = 'oc_group_1'): Promise<FakeMessage> {
  const res = await client.im.v1.message.create({
    params: { receive_id_type: 'chat_id' },
    data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(card('巡河提醒', [])) },
  });
  const stored = fake.message(res.data?.message_id ?? '');
  if (!stored) throw new Error('card was not stored');
  return stored;
}

/** Runs a promise that must reject with an AxiosError and returns its response. */
async function axiosFailure(
  promise: Promise<unknown>,
): Promise<{ status: number; headers: Record<string, unknown>; data: unknown }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ isAxiosError: true, name: 'AxiosError' });
  const response = (error as { response?: { status: number; headers: Record<string, unknown>; data: unknown } })
    .response;
  if (!response) throw new Error('AxiosError without a response');
  return response;
}

beforeAll(async () => {
  fake = await FakeFeishu.start({ appId: APP_ID, appSecret: APP_SECRET });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
});

describe('FakeFeishu driven by the real SDK', () => {
  it('stores a text message sent to an open_id', async () => {
    const res = await sdkClient().im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_alice', msg_type: 'text', content: JSON.stringify({ text: '你好，河长' }) },
    });

    expect(res.code).toBe(0);
    expect(res.data?.message_id).toMatch(/^om_fake_\d+$/);
    const stored = fake.message(res.data?.message_id ?? '');
    expect(stored).toMatchObject({
      receiveIdType: 'open_id',
      receiveId: 'ou_alice',
      msgType: 'text',
      content: { text: '你好，河长' },
    });
    expect(fake.messages({ receiveId: 'ou_alice' })).toHaveLength(1);
  });

  it('stores a card sent to a chat with its parsed content', async () => {
    const content = card('巡河提醒', [{ label: '确认', value: { action: 'ack' } }]);
    const res = await sdkClient().im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_group_1', msg_type: 'interactive', content: JSON.stringify(content) },
    });

    expect(res.code).toBe(0);
    expect(res.data?.chat_id).toBe('oc_group_1');
    const [stored] = fake.messages({ chatId: 'oc_group_1', msgType: 'interactive' });
    expect(stored?.content).toEqual(content);
  });

  it('replies in a thread under a message it knows', async () => {
    const client = sdkClient();
    const parent = await sendCard(client);

    const res = await client.im.v1.message.reply({
      path: { message_id: parent.messageId },
      data: { msg_type: 'text', content: JSON.stringify({ text: '已处理' }), reply_in_thread: true },
    });

    expect(res.code).toBe(0);
    expect(res.data?.thread_id).toMatch(/^omt_fake_/);
    const reply = fake.message(res.data?.message_id ?? '');
    expect(reply).toMatchObject({
      parentId: parent.messageId,
      rootId: parent.messageId,
      chatId: 'oc_group_1',
      replyInThread: true,
      content: { text: '已处理' },
    });
    expect(fake.message(parent.messageId)?.threadId).toBe(reply?.threadId);
  });

  it('patches a card and keeps each version', async () => {
    const client = sdkClient();
    const sent = await sendCard(client);
    const patched = card('已确认', []);

    const res = await client.im.v1.message.patch({
      path: { message_id: sent.messageId },
      data: { content: JSON.stringify(patched) },
    });

    expect(res.code).toBe(0);
    expect(fake.message(sent.messageId)?.content).toEqual(patched);
    expect(fake.message(sent.messageId)?.updates).toEqual([patched]);
  });

  it('refuses to patch a text message, as Feishu does', async () => {
    const client = sdkClient();
    const sent = await client.im.v1.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: 'ou_alice', msg_type: 'text', content: JSON.stringify({ text: 'hi' }) },
    });

    const response = await axiosFailure(
      client.im.v1.message.patch({ path: { message_id: sent.data?.message_id ?? '' }, data: { content: '{}' } }),
    );
    expect(response.status).toBe(400);
  });

  it('records urgent_app recipients', async () => {
    const client = sdkClient();
    const sent = await sendCard(client);

    const res = await client.im.v1.message.urgentApp({
      path: { message_id: sent.messageId },
      params: { user_id_type: 'open_id' },
      data: { user_id_list: ['ou_alice', 'ou_bob'] },
    });

    expect(res.code).toBe(0);
    expect(res.data?.invalid_user_id_list).toEqual([]);
    expect(fake.message(sent.messageId)?.urgentTo).toEqual(['ou_alice', 'ou_bob']);
    expect(fake.callsTo(/urgent_app$/)[0]?.query).toEqual({ user_id_type: 'open_id' });
  });

  it('applies a delayed card update to the message a builder-made callback token names', async () => {
    const client = sdkClient();
    const sent = await sendCard(client);
    const action = cardAction({
      operatorOpenId: 'ou_alice',
      value: { action: 'ack' },
      messageId: sent.messageId,
      chatId: 'oc_group_1',
    });
    const updated = card('已确认 ✅', []);

    const res = await client.request<{ code: number }>({
      method: 'POST',
      url: '/open-apis/interactive/v1/card/update',
      data: { token: action.event.token, card: updated },
    });

    expect(res.code).toBe(0);
    expect(fake.message(sent.messageId)?.content).toEqual(updated);
    expect(fake.cardUpdates).toEqual([
      expect.objectContaining({ token: action.event.token, messageId: sent.messageId }),
    ]);
  });

  it('keeps uploaded image and file bytes for reading back', async () => {
    const client = sdkClient();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10]);
    const image = await client.im.image.create({ data: { image_type: 'message', image: png } });

    // The SDK unwraps upload answers: it resolves to `data`, not `{ code, data }`.
    expect(image?.image_key).toMatch(/^img_v3_fake_/);
    expect(fake.upload(image?.image_key ?? '')).toMatchObject({ kind: 'image', type: 'message' });
    expect(fake.upload(image?.image_key ?? '')?.bytes.equals(png)).toBe(true);

    const dir = await mkdtemp(join(tmpdir(), 'fake-feishu-'));
    try {
      const path = join(dir, '巡河报告.pdf');
      const bytes = Buffer.from('%PDF-1.4 巡河报告 \u0000\u0001 end', 'utf8');
      await writeFile(path, bytes);
      const file = await client.im.file.create({
        data: { file_type: 'pdf', file_name: '巡河报告.pdf', file: createReadStream(path) },
      });

      const stored = fake.upload(file?.file_key ?? '');
      expect(stored).toMatchObject({ kind: 'file', type: 'pdf', fileName: '巡河报告.pdf' });
      expect(stored?.bytes.equals(bytes)).toBe(true);
      expect(fake.callsTo('/open-apis/im/v1/files')[0]?.body).toMatchObject({
        fields: { file_type: 'pdf', file_name: '巡河报告.pdf' },
        files: [expect.objectContaining({ field: 'file', size: bytes.length })],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resolves mobiles and emails from the seeded directory', async () => {
    fake.addUser({ openId: 'ou_zhang', name: '张河长', mobile: '+8613800000001', email: 'zhang@example.cn' });

    const res = await sdkClient().contact.v3.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { mobiles: ['13800000001', '13900000009'], emails: ['ZHANG@example.cn'] },
    });

    expect(res.code).toBe(0);
    expect(res.data?.user_list).toEqual([
      expect.objectContaining({ email: 'ZHANG@example.cn', user_id: 'ou_zhang' }),
      expect.objectContaining({ mobile: '13800000001', user_id: 'ou_zhang' }),
      { mobile: '13900000009' },
    ]);
  });

  it('answers bot/v3/info with the configured bot open_id', async () => {
    const res = await sdkClient().request<{ code: number; bot: { open_id: string } }>({
      method: 'GET',
      url: '/open-apis/bot/v3/info',
    });
    expect(res.code).toBe(0);
    expect(res.bot.open_id).toBe('ou_fake_bot');
  });

  it('returns the first message for a repeated uuid and records no new one', async () => {
    const client = sdkClient();
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: {
          receive_id: 'ou_alice',
          msg_type: 'text',
          content: JSON.stringify({ text: '一次' }),
          uuid: 'reminder-42',
        },
      });

    const first = await send();
    const second = await send();

    expect(second.data?.message_id).toBe(first.data?.message_id);
    expect(fake.messages()).toHaveLength(1);
    expect(fake.callsTo('/open-apis/im/v1/messages')).toHaveLength(2);
  });

  it('surfaces an injected 429 as an AxiosError carrying the reset header, then recovers', async () => {
    const client = sdkClient();
    fake.inject({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      status: 429,
      headers: { 'x-ogw-ratelimit-reset': '2' },
      body: { code: 99991400, msg: 'request trigger frequency limit' },
    });
    const send = () =>
      client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_alice', msg_type: 'text', content: JSON.stringify({ text: '限流' }) },
      });

    const response = await axiosFailure(send());
    expect(response.status).toBe(429);
    expect(response.headers['x-ogw-ratelimit-reset']).toBe('2');
    expect(response.data).toEqual({ code: 99991400, msg: 'request trigger frequency limit' });
    expect(fake.messages()).toHaveLength(0);

    expect((await send()).code).toBe(0);
    expect(fake.callsTo('/open-apis/im/v1/messages').map((c) => [c.status, c.injected])).toEqual([
      [429, true],
      [200, false],
    ]);
  });

  it('fetches the tenant token once and reuses it', async () => {
    const client = sdkClient();
    for (const text of ['一', '二', '三']) {
      await client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_alice', msg_type: 'text', content: JSON.stringify({ text }) },
      });
    }

    const tokenCalls = fake.callsTo('/open-apis/auth/v3/tenant_access_token/internal');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.body).toEqual({ app_id: APP_ID, app_secret: APP_SECRET });
    expect(fake.messages()).toHaveLength(3);
  });

  it('rejects a wrong app secret and calls without a valid token', async () => {
    await expect(
      sdkClient({ appSecret: 'wrong' }).im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_alice', msg_type: 'text', content: '{"text":"x"}' },
      }),
    ).rejects.toThrow();
    expect(fake.callsTo('/open-apis/auth').map((c) => c.status)).toEqual([400]);

    const missing = await fetch(`${fake.url}/open-apis/bot/v3/info`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 99991661 });
    const invalid = await fetch(`${fake.url}/open-apis/bot/v3/info`, { headers: { authorization: 'Bearer t-forged' } });
    expect(await invalid.json()).toMatchObject({ code: 99991663 });
  });

  it('reads a message back through GET im/v1/messages/:id', async () => {
    const client = sdkClient();
    const sent = await sendCard(client);
    const res = await client.im.v1.message.get({ path: { message_id: sent.messageId } });
    expect(res.data?.items?.[0]).toMatchObject({
      message_id: sent.messageId,
      msg_type: 'interactive',
      chat_id: 'oc_group_1',
    });
  });
});

describe('FakeFeishu helpers', () => {
  it('waitFor resolves as soon as a matching message is recorded', async () => {
    const client = sdkClient();
    const waiting = fake.waitFor(() => fake.messages({ receiveId: 'ou_late' })[0]);
    setTimeout(() => {
      void client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: 'ou_late', msg_type: 'text', content: JSON.stringify({ text: '迟到的消息' }) },
      });
    }, 10);

    await expect(waiting).resolves.toMatchObject({ content: { text: '迟到的消息' } });
  });

  it('waitFor rejects after its timeout, listing the recorded calls', async () => {
    await fetch(`${fake.url}/open-apis/bot/v3/info`);
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(
      /timed out after 50 ms; 1 recorded call\(s\):\n {2}GET \/open-apis\/bot\/v3\/info → 400/,
    );
  });

  it('calls onMessage for new and updated messages', async () => {
    const seen: string[] = [];
    const local = await FakeFeishu.start({ onMessage: (m) => seen.push(`${m.messageId}:${m.updates.length}`) });
    try {
      const client = new lark.Client({
        appId: 'cli_local',
        appSecret: 'any',
        domain: local.url,
        cache: new lark.DefaultCache(),
        logger: silentSdkLogger,
      });
      const sent = await client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: 'oc_x', msg_type: 'interactive', content: JSON.stringify(card('一', [])) },
      });
      const id = sent.data?.message_id ?? '';
      await client.im.v1.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(card('二', [])) } });
      expect(seen).toEqual([`${id}:0`, `${id}:1`]);
    } finally {
      await local.stop();
    }
  });
});

describe('sealRequest', () => {
  const payload = messageReceived({
    text: '@_user_1 巡河',
    senderOpenId: 'ou_alice',
    chatId: 'oc_group_1',
    chatType: 'group',
    token: 'vt',
  });

  it('encrypts the payload and signs the exact body', () => {
    const sealed = sealRequest(payload, { encryptKey: 'ek-123', timestamp: '1700000000', nonce: 'n0nce' });

    const { encrypt } = JSON.parse(sealed.body) as { encrypt: string };
    expect(JSON.parse(decryptPayload(encrypt, 'ek-123'))).toEqual(payload);
    expect(sealed.headers).toEqual({
      'content-type': 'application/json',
      'x-lark-request-timestamp': '1700000000',
      'x-lark-request-nonce': 'n0nce',
      'x-lark-signature': computeSignature('1700000000', 'n0nce', 'ek-123', sealed.body),
    });
  });

  it('sends plain JSON without a signature when there is no encrypt key', () => {
    const sealed = sealRequest(payload);
    expect(JSON.parse(sealed.body)).toEqual(payload);
    expect(sealed.headers['x-lark-signature']).toBeUndefined();
    expect(sealed.headers['x-lark-request-timestamp']).toMatch(/^\d{10}$/);
  });

  it('builds a message event in the v2 envelope', () => {
    const event = messageReceived({
      text: '@_user_1 上报',
      senderOpenId: 'ou_alice',
      chatId: 'oc_group_1',
      chatType: 'group',
      mentions: [{ key: '@_user_1', openId: 'ou_fake_bot', name: '河湖长助手' }],
      token: 'vt',
    });
    expect(event.header).toMatchObject({ event_type: 'im.message.receive_v1', token: 'vt' });
    expect(event.header.create_time).toMatch(/^\d{13}$/);
    expect(event.event.message).toMatchObject({
      chat_type: 'group',
      message_type: 'text',
      content: JSON.stringify({ text: '@_user_1 上报' }),
      mentions: [{ key: '@_user_1', id: { open_id: 'ou_fake_bot' }, name: '河湖长助手' }],
    });
    expect(event.event.message).not.toHaveProperty('root_id');
  });
});

describe('describeMessage', () => {
  it('summarises a card with its title, markdown and buttons with their callback values', () => {
    const content = card('巡河提醒', [
      { label: '确认', value: { action: 'ack', id: 7 } },
      { label: '延期', value: { action: 'snooze' } },
    ]);
    const text = describeMessage({
      messageId: 'om_fake_9',
      receiveIdType: 'chat_id',
      receiveId: 'oc_group_1',
      chatId: 'oc_group_1',
      msgType: 'interactive',
      content,
      rawContent: JSON.stringify(content),
      createdAt: new Date(0),
      updates: [],
      urgentTo: [],
    });

    expect(text).toContain('om_fake_9');
    expect(text).toContain('oc_group_1');
    expect(text).toContain('【巡河提醒】');
    expect(text).toContain('**河道**：清水河');
    expect(text).toContain('问题：垃圾堆积');
    expect(text).toContain('[ 确认 ] → 回调 {"action":"ack","id":7}');
    expect(text).toContain('[ 延期 ] → 回调 {"action":"snooze"}');
  });

  it('does not throw on shapes it does not know', () => {
    const text = describeMessage({
      messageId: 'om_fake_10',
      msgType: 'interactive',
      content: { body: { elements: [{ tag: 'mystery', elements: [{ tag: 'markdown', content: '里面' }] }, 42, null] } },
      rawContent: '',
      createdAt: new Date(0),
      updates: [],
      urgentTo: [],
    });
    expect(text).toContain('里面');
  });
});
