import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { FeishuApi } from '../../src/feishu/messenger/feishu-api.js';
import { sdkLogger } from '../../src/main/sdk-logger.js';
import { type CapturedLogs, captureLogs } from '../helpers/logs.js';

/**
 * The SDK logs every failed request with its body. Through our SDK logger, a failed send
 * leaves a line that says what failed (method, path, status, Feishu's code) and nothing of
 * what the message said, and a failed token request nothing of the app secret.
 */

const APP = { appId: 'cli_sdklogs', appSecret: 'very-secret-app-secret-0001' };
const WORDS = '东风河排污口仍在排放黑水';
let fake: FakeFeishu;
let logs: CapturedLogs;
let api: FeishuApi;

beforeAll(async () => {
  fake = await FakeFeishu.start(APP);
});
afterAll(async () => {
  await fake?.stop();
});
beforeEach(() => {
  fake.reset();
  logs = captureLogs();
  api = new FeishuApi(
    new lark.Client({ ...APP, domain: fake.url, logger: sdkLogger(logs.logger), loggerLevel: lark.LoggerLevel.warn }),
  );
});

const card = {
  schema: '2.0',
  config: { update_multi: true },
  body: { elements: [{ tag: 'markdown', content: WORDS }] },
};
const send = {
  op: 'send' as const,
  receiveIdType: 'chat_id' as const,
  receiveId: 'oc_sdklogs',
  msgType: 'interactive',
  content: JSON.stringify(card),
};

describe('SDK log lines', () => {
  it('name a failed send without its content', async () => {
    fake.inject({
      method: 'POST',
      path: '/open-apis/im/v1/messages',
      status: 400,
      body: { code: 230099, msg: 'Failed to create card content', error: { log_id: 'log_fake_1' } },
    });
    await expect(api.perform(send, 'uuid-sdklogs-1')).rejects.toThrow(/230099/);
    const lines = logs.find(/./).filter((l) => l.component === 'lark-sdk');
    expect(lines.length).toBeGreaterThan(0);
    const line = String(lines[0]?.msg);
    expect(line).toContain('/open-apis/im/v1/messages');
    expect(line).toContain('230099');
    expect(line).toContain('log_fake_1');
    expect(logs.text()).not.toContain(WORDS);
    expect(logs.text()).not.toContain('markdown');
  });

  it('name a failed reply and a failed update without their text', async () => {
    fake.inject({ path: /\/reply$/, status: 503 });
    await expect(
      api.perform(
        {
          op: 'reply',
          messageId: 'om_user_1',
          msgType: 'text',
          content: JSON.stringify({ text: WORDS }),
          replyInThread: true,
        },
        'uuid-sdklogs-2',
      ),
    ).rejects.toThrow(/503/);
    fake.inject({ method: 'PATCH', path: '/open-apis/im/v1/messages/', status: 500 });
    await expect(
      api.perform({ op: 'patch', messageId: 'om_unknown', content: JSON.stringify(card) }, 'x'),
    ).rejects.toThrow(/500/);
    expect(logs.find(/./).filter((l) => l.component === 'lark-sdk').length).toBeGreaterThanOrEqual(2);
    expect(logs.text()).not.toContain(WORDS);
  });

  it('keep the app secret out of a failed token request', async () => {
    // A client with its own empty token cache asks for a token (the SDK otherwise shares one per app).
    const store = new Map<unknown, unknown>();
    const cache = {
      get: (key: unknown): Promise<unknown> => Promise.resolve(store.get(key)),
      set: (key: unknown, value: unknown): Promise<boolean> => Promise.resolve(Boolean(store.set(key, value))),
    };
    const fresh = new FeishuApi(
      new lark.Client({
        ...APP,
        domain: fake.url,
        cache,
        logger: sdkLogger(logs.logger),
        loggerLevel: lark.LoggerLevel.warn,
      }),
    );
    fake.inject({ path: '/open-apis/auth/v3/tenant_access_token/internal', status: 500, times: 5 });
    await expect(fresh.perform(send, 'uuid-sdklogs-3')).rejects.toThrow();
    expect(logs.find(/./).some((l) => l.component === 'lark-sdk')).toBe(true);
    expect(logs.text()).not.toContain(APP.appSecret);
  });
});
