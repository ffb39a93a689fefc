import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';

/** The fake refuses cards and patches the way Feishu documents it does. */

const APP_ID = 'cli_strict';
const APP_SECRET = 'strict-secret';
const quiet = () => undefined;

let fake: FakeFeishu;
let client: lark.Client;
const clock = new ManualClock('2024-04-01T01:00:00Z');
let rateMs = 0;

const text = (content: string) => ({ tag: 'plain_text', content });
function card(title: string, elements: unknown[] = [{ tag: 'markdown', content: '**河道**：清水河' }]) {
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: text(title), template: 'blue' },
    body: { elements },
  };
}
const tooLong = card('巡河', [
  {
    tag: 'form',
    name: 'f',
    elements: [
      { tag: 'input', name: 'x', max_length: 5000 },
      { tag: 'button', name: 's', text: text('提交'), form_action_type: 'submit' },
    ],
  },
]);

/** The status and body Feishu answered, from the AxiosError the SDK throws on a 4xx. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; data: { code: number; msg: string } }> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const response = (error as { response?: { status: number; data: { code: number; msg: string } } } | undefined)
    ?.response;
  if (!response) throw new Error('expected Feishu to refuse the call');
  return response;
}

async function send(content: unknown, chatId = 'oc_strict') {
  return client.im.v1.message.create({
    params: { receive_id_type: 'chat_id' },
    data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(content) },
  });
}

beforeAll(async () => {
  fake = await FakeFeishu.start({ appId: APP_ID, appSecret: APP_SECRET, clock, rateClock: () => rateMs });
  client = new lark.Client({
    appId: APP_ID,
    appSecret: APP_SECRET,
    domain: fake.url,
    cache: new lark.DefaultCache(),
    logger: { error: quiet, warn: quiet, info: quiet, debug: quiet, trace: quiet },
  });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
  clock.set('2024-04-01T01:00:00Z');
  rateMs = 0;
});

describe('cards Feishu cannot build', () => {
  it('refuses a sent card that breaks a 2.0 rule with 400 / 230099 and keeps nothing', async () => {
    const res = await refusal(send(tooLong));
    expect(res.status).toBe(400);
    expect(res.data.code).toBe(230099);
    expect(res.data.msg).toContain('Failed to create card content');
    expect(res.data.msg).toContain('body.elements[0].elements[0].max_length');
    expect(fake.messages()).toEqual([]);
  });

  it('refuses a reply with such a card', async () => {
    const res = await refusal(
      client.im.v1.message.reply({
        path: { message_id: 'om_user_1' },
        data: { msg_type: 'interactive', content: JSON.stringify(tooLong) },
      }),
    );
    expect(res.data.code).toBe(230099);
    expect(fake.messages()).toEqual([]);
  });

  it('refuses a card over 30 KB with 230025', async () => {
    const res = await refusal(send(card('大', [{ tag: 'markdown', content: '河'.repeat(11_000) }])));
    expect(res.data.code).toBe(230025);
  });

  it('refuses a patch to such a card and leaves the message as it was', async () => {
    const sent = await send(card('巡河提醒'));
    const id = sent.data?.message_id ?? '';
    const res = await refusal(
      client.im.v1.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(tooLong) } }),
    );
    expect(res.data.code).toBe(230099);
    expect(fake.message(id)?.updates).toEqual([]);
  });

  it('refuses such a card in a delayed update', async () => {
    const res = await refusal(
      client.request({
        method: 'POST',
        url: '/open-apis/interactive/v1/card/update',
        data: { token: 'c-1', card: tooLong },
      }),
    );
    expect(res.data.code).toBe(230099);
    expect(fake.cardUpdates).toEqual([]);
  });
});

describe('patch limits', () => {
  it('refuses to patch a message sent more than 14 days ago', async () => {
    const sent = await send(card('巡河提醒'));
    const id = sent.data?.message_id ?? '';
    clock.advance(14 * 24 * 3600 * 1000 - 1000);
    await client.im.v1.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(card('第十四天')) } });
    clock.advance(2000);
    const res = await refusal(
      client.im.v1.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(card('过期')) } }),
    );
    expect(res.status).toBe(400);
    expect(res.data.code).toBe(230031);
    expect(fake.message(id)?.updates).toHaveLength(1);
  });

  it('refuses a sixth patch to one message within a second', async () => {
    const sent = await send(card('巡河提醒'));
    const id = sent.data?.message_id ?? '';
    const patch = (n: number) =>
      client.im.v1.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(card(`第${n}次`)) } });
    for (let n = 1; n <= 5; n += 1) await patch(n);
    const res = await refusal(patch(6));
    expect(res.data.code).toBe(230020);
    rateMs += 1000;
    await patch(7);
    expect(fake.message(id)?.updates).toHaveLength(6);
  });
});

describe('callback answers', () => {
  it('tells what is wrong with an answer, and throws for the helpers that tap', () => {
    const bare = { card: card('已确认') };
    expect(fake.checkCallbackAnswer(bare)).toMatchObject([{ rule: 'callback-card-shape', code: 200672 }]);
    expect(() => fake.assertCallbackAnswer(bare)).toThrow(/callback-card-shape/);
    expect(() =>
      fake.assertCallbackAnswer({
        toast: { type: 'success', content: '已提交' },
        card: { type: 'raw', data: card('已确认') },
      }),
    ).not.toThrow();
  });
});
