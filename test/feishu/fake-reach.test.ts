import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { quietSdkLogger } from '../helpers/logs.js';

/** The fake answers reach and scope questions as Feishu documents them, through the real SDK. */

let fake: FakeFeishu;
let client: lark.Client;

beforeAll(async () => {
  fake = await FakeFeishu.start({ appId: 'cli_reach', appSecret: 's' });
  client = new lark.Client({ appId: 'cli_reach', appSecret: 's', domain: fake.url, logger: quietSdkLogger });
});
afterAll(async () => fake?.stop());

/** The SDK throws on HTTP 4xx; the body Feishu sent is what a caller reads. */
async function answer<T>(call: Promise<T>): Promise<{ code?: number; msg?: string; data?: unknown }> {
  try {
    return (await call) as { code?: number; msg?: string };
  } catch (error) {
    return (error as { response: { data: { code: number; msg: string } } }).response.data;
  }
}

const text = (receive_id: string, type: 'chat_id' | 'open_id') =>
  client.im.v1.message.create({
    params: { receive_id_type: type },
    data: { receive_id, msg_type: 'text', content: JSON.stringify({ text: '测试' }) },
  });

describe('fake reach', () => {
  it('by default every chat takes messages, everyone is in range and every scope is granted', async () => {
    expect((await answer(text('oc_anything', 'chat_id'))).code).toBe(0);
    expect((await answer(text('ou_anyone', 'open_id'))).code).toBe(0);
    const scopes = await client.application.scope.list();
    expect(scopes.data?.scopes?.every((s) => s.grant_status === 1)).toBe(true);
  });

  it('refuses a chat the bot is not in with 230002 and says so through is_in_chat', async () => {
    fake.addChat({ chatId: 'oc_outside', name: '某河湖长群', members: ['ou_a'], botIsMember: false });
    expect(await answer(text('oc_outside', 'chat_id'))).toMatchObject({ code: 230002 });
    expect((await client.im.v1.chatMembers.isInChat({ path: { chat_id: 'oc_outside' } })).data).toEqual({
      is_in_chat: false,
    });
    expect((await client.im.v1.chatMembers.isInChat({ path: { chat_id: 'oc_other' } })).data).toEqual({
      is_in_chat: true,
    });
  });

  it('refuses a person outside the availability range with 230013 and reports them outside it', async () => {
    fake.setAvailability(['ou_in']);
    try {
      expect(await answer(text('ou_out', 'open_id'))).toMatchObject({ code: 230013 });
      expect((await answer(text('ou_in', 'open_id'))).code).toBe(0);
      const visibility = await client.application.applicationVisibility.checkWhiteBlackList({
        path: { app_id: 'cli_reach' },
        params: { user_id_type: 'open_id' },
        data: { user_ids: ['ou_in', 'ou_out'] },
      });
      expect(visibility.data?.user_visibility_list?.map((u) => [u.user_id, u.in_white_list])).toEqual([
        ['ou_in', true],
        ['ou_out', false],
      ]);
    } finally {
      fake.setAvailability('all');
    }
  });

  it('answers 99991672 naming the scope when a call lacks it, and lists the scope as not granted', async () => {
    fake.revokeScope('contact:user.id:readonly');
    try {
      const refused = await answer(
        client.contact.v3.user.batchGetId({ params: { user_id_type: 'open_id' }, data: { mobiles: ['13800000000'] } }),
      );
      expect(refused.code).toBe(99991672);
      expect(refused.msg).toContain('contact:user.id:readonly');
      const scopes = await client.application.scope.list();
      expect(scopes.data?.scopes?.find((s) => s.scope_name === 'contact:user.id:readonly')?.grant_status).toBe(2);
    } finally {
      fake.grantScopes('all');
    }
  });
});
