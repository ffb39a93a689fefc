import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CheckOptions, checkFailed, formatCheckReport, runFeishuCheck } from '../../src/feishu/check/run-check.js';
import { sampleCards } from '../../src/feishu/check/sample-cards.js';
import { FeishuContacts } from '../../src/feishu/contacts.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { parseYamlDirectory } from '../../src/workflows/directory/yaml-directory.js';
import { quietSdkLogger } from '../helpers/logs.js';

/** `npm run feishu:check` against the fake tenant: what an installer reads for each kind of problem. */

const examplePath = new URL('../../examples/jinkouhe.yaml', import.meta.url);
const parsed = parseYamlDirectory(readFileSync(examplePath, 'utf8'));
if (!parsed.ok) throw new Error('the example directory no longer parses');
const directory = parsed.directory;

let fake: FakeFeishu;
let client: lark.Client;

beforeAll(async () => {
  fake = await FakeFeishu.start({ appId: 'cli_check', appSecret: 'check-secret', botName: '河湖长助手' });
  // Everyone in the example is on Feishu except 褚某某 (138-0000-0012).
  for (let n = 1; n <= 11; n++)
    fake.addUser({ openId: `ou_example_${n}`, name: `user${n}`, mobile: `+86138${String(n).padStart(8, '0')}` });
  fake.addUser({ openId: 'ou_example_sun', name: '孙某某', email: 'sun@example.gov.cn' });
  client = new lark.Client({ appId: 'cli_check', appSecret: 'check-secret', domain: fake.url, logger: quietSdkLogger });
});
afterAll(async () => fake?.stop());
beforeEach(() => {
  fake.reset();
  fake.grantScopes('all');
  fake.setAvailability('all');
});

function check(overrides: Partial<CheckOptions> = {}) {
  return runFeishuCheck({
    client,
    appId: 'cli_check',
    appSecret: 'check-secret',
    directory,
    contacts: new FeishuContacts(client),
    testChat: 'oc_check_test',
    ...overrides,
  });
}

const everyoneButChu = () => [
  ...Array.from({ length: 11 }, (_, i) => `ou_example_${i + 1}`),
  'ou_example_sun',
  'ou_example_qian',
];

describe('feishu:check', () => {
  it('reports every item as passing in a tenant set up right, and sends every card to the test chat', async () => {
    const sections = await check();
    const report = formatCheckReport(sections);
    expect(report).toContain('✓ 应用凭证有效（App ID cli_check）');
    expect(report).toContain('✓ 机器人能力已启用：河湖长助手（ou_fake_bot）');
    expect(report).toContain('✓ 获取群组信息（im:chat:readonly）');
    expect(report).toContain('✓ 机器人在名录中的全部');
    // 褚某某 is not on Feishu: that is the directory's problem, and it is reported as one.
    expect(report).toContain('✗ 1 人在飞书中找不到');
    expect(report).toContain('褚某某（13800000012）');
    const cards = fake.messages({ chatId: 'oc_check_test', msgType: 'interactive' });
    expect(cards).toHaveLength(sampleCards().length);
    expect(report).toContain(`✓ 飞书接受了全部 ${sampleCards().length} 种卡片`);
  });

  it('passes with nothing to fix when everyone in the directory is on Feishu', async () => {
    const sections = await check({
      directory: { ...directory, people: directory.people.filter((p) => p.name !== '褚某某') },
    });
    expect(checkFailed(sections)).toBe(false);
    expect(formatCheckReport(sections)).toMatch(/检查通过/);
  });

  it('names a missing scope, whether a probe call or the scope list shows it, and says where to grant it', async () => {
    fake.revokeScope('contact:user.id:readonly');
    fake.revokeScope('im:message.group_msg');
    const sections = await check({ testChat: undefined });
    const report = formatCheckReport(sections);
    expect(checkFailed(sections)).toBe(true);
    expect(report).toContain('✗ 通过手机号或邮箱获取用户 ID（contact:user.id:readonly）');
    expect(report).toContain('错误码 99991672');
    expect(report).toContain('✗ 获取群组中所有消息（敏感权限）（im:message.group_msg）');
    expect(report).toContain('开发配置 › 权限管理');
  });

  it('names a chat of the directory the bot is not in', async () => {
    fake.addChat({ chatId: 'oc_example_yeniu', name: '野牛河河长群', botIsMember: false });
    try {
      const report = formatCheckReport(await check({ testChat: undefined }));
      expect(report).toContain('✗ 机器人不在 1 个群中（发送会被拒绝，错误码 230002）');
      expect(report).toContain('野牛河（oc_example_yeniu）');
    } finally {
      fake.addChat({ chatId: 'oc_example_yeniu', botIsMember: true });
    }
  });

  it('names a person outside the availability range', async () => {
    fake.setAvailability(everyoneButChu().filter((id) => id !== 'ou_example_2'));
    const report = formatCheckReport(await check({ testChat: undefined }));
    expect(report).toContain('✗ 1 人不在应用的可用范围内（发送会被拒绝，错误码 230013）');
    expect(report).toContain('李某某（13800000002）');
  });

  it('says the range could not be read when the availability look-up lacks its scope, without failing on it', async () => {
    fake.revokeScope('admin:app.info:readonly');
    const report = formatCheckReport(await check({ testChat: undefined }));
    expect(report).toContain('⚠ 未能核对人员是否在应用可用范围内');
    expect(report).toContain('admin:app.info:readonly');
  });

  it('reports each card Feishu refuses with its code', async () => {
    let sent = 0;
    const sections = await check({
      pace: () => {
        sent += 1;
        if (sent === 2)
          fake.inject({
            method: 'POST',
            path: '/open-apis/im/v1/messages',
            status: 400,
            body: { code: 230099, msg: 'Failed to create card content, ext=ErrCode: 200621' },
          });
        return Promise.resolve();
      },
    });
    const report = formatCheckReport(sections);
    expect(checkFailed(sections)).toBe(true);
    expect(report).toContain(`✗ 飞书拒绝了 1 / ${sampleCards().length} 种卡片`);
    expect(report).toContain(`${sampleCards()[1]?.name}：错误码 230099：Failed to create card content`);
  });

  it('stops at the credentials when the secret is wrong', async () => {
    const sections = await check({ appSecret: 'wrong' });
    expect(sections).toHaveLength(1);
    expect(formatCheckReport(sections)).toContain('✗ 应用凭证无效');
  });

  it('runs as npm run feishu:check with a directory file and exits 1 when something needs fixing', async () => {
    const run = promisify(execFile);
    const env = {
      ...process.env,
      FEISHU_APP_ID: 'cli_check',
      FEISHU_APP_SECRET: 'check-secret',
      FEISHU_DOMAIN: fake.url,
      FEISHU_TRANSPORT: 'ws',
      LOG_LEVEL: 'silent',
    };
    const result = await run('npx', ['tsx', 'scripts/feishu-check.ts', '--directory', 'examples/jinkouhe.yaml'], {
      env,
      cwd: new URL('../../', import.meta.url).pathname,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(result.stdout).toContain('✓ 应用凭证有效');
    expect(result.stdout).toContain('⚠ 未发送测试卡片');
    expect(result.stdout).toContain('褚某某');
    expect(result.code).toBe(1);
  }, 60_000);
});
