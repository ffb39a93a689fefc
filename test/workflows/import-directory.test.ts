import { readFileSync } from 'node:fs';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FeishuReach } from '../../src/feishu/check/feishu-reach.js';
import { FeishuContacts } from '../../src/feishu/contacts.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { DirectoryStore } from '../../src/store/directory-store.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { importDirectory } from '../../src/workflows/directory/import-directory.js';
import { summariseImport } from '../../src/workflows/directory/import-summary.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { quietSdkLogger } from '../helpers/logs.js';

/** The directory import against a real database and the real SDK's contact look-up on the fake. */

const example = readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url), 'utf8');

let db: TestDatabase;
let fake: FakeFeishu;
let models: Models;
let deps: Parameters<typeof importDirectory>[1];
const clock = new ManualClock('2026-11-29T02:00:00Z');

beforeAll(async () => {
  db = await openTestDatabase();
  models = bindModels(db.connection);
  await ensureIndexes(models);
  fake = await FakeFeishu.start({ appId: 'cli_org', appSecret: 's' });
  // Everyone in the example is on Feishu except 褚某某 (138-0000-0012).
  for (let n = 1; n <= 11; n++)
    fake.addUser({ openId: `ou_example_${n}`, name: `user${n}`, mobile: `+86138${String(n).padStart(8, '0')}` });
  fake.addUser({ openId: 'ou_example_sun', name: '孙某某', email: 'sun@example.gov.cn' });
  const client = new lark.Client({ appId: 'cli_org', appSecret: 's', domain: fake.url, logger: quietSdkLogger });
  deps = { store: new DirectoryStore(models, clock), contacts: new FeishuContacts(client) };
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});
beforeEach(() => fake.reset());

describe('directory import', () => {
  it('imports the example, resolving people by mobile and email, and lists who was not found', async () => {
    const outcome = await importDirectory({ text: example, format: 'yaml' }, deps);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    expect(outcome.written).toBe(true);
    expect(outcome.diff.people.added).toHaveLength(12);
    expect(outcome.diff.waterBodies.added.map((w) => w.id)).toEqual(['dadu-jinkouhe', 'yeniu', 'baixionggou']);
    expect(outcome.unresolved.map((p) => p.name)).toEqual(['褚某某']);

    const li = await models.people.findOne({ key: 'li-hezhang' }).lean();
    expect(li).toMatchObject({ name: '李某某', mobile: '13800000002', openId: 'ou_example_2' });
    expect((await models.people.findOne({ key: 'sun-shuiwu' }).lean())?.openId).toBe('ou_example_sun');
    expect((await models.people.findOne({ key: 'qian-hezhangban' }).lean())?.openId).toBe('ou_example_qian');
    const dadu = await models.waterBodies.findOne({ key: 'dadu-jinkouhe' }).lean();
    expect(dadu).toMatchObject({
      districtChief: 'li-hezhang',
      liaisonUnit: 'water-bureau',
      crossBoundary: true,
      townshipChiefs: { yonghe: 'wu-yonghe', gongan: 'feng-gongan' },
    });

    const summary = summariseImport(outcome);
    expect(summary.title).toBe('组织名录已导入');
    expect(summary.lines).toContain('人员：新增 12，变更 0，移除 0，未变 0');
    expect(summary.lines).toContain('  褚某某（13800000012）');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await models.people.find().lean();
    const outcome = await importDirectory({ text: example, format: 'yaml' }, deps);
    if (!outcome.ok) throw new Error('unexpected problems');
    expect(outcome.written).toBe(false);
    expect(summariseImport(outcome).title).toBe('组织名录无变化，未写入数据');
    expect(await models.people.find().lean()).toEqual(before);
  });

  it('updates an edited file in place and marks removed records, keeping their ids', async () => {
    clock.advance(60_000);
    const edited = example
      .replace('name: 野牛河', 'name: 野牛河（金河段）')
      .replace(
        '  - id: baixionggou\n    name: 白熊沟\n    kind: river\n    townships: [yonghe]\n    townshipChiefs: { yonghe: wu-yonghe }\n',
        '',
      );
    const outcome = await importDirectory({ text: edited, format: 'yaml' }, deps);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    expect(outcome.diff.waterBodies.changed.map((w) => w.id)).toEqual(['yeniu']);
    expect(outcome.diff.waterBodies.removed).toEqual(['baixionggou']);
    const yeniu = await models.waterBodies.find({ key: 'yeniu' }).lean();
    expect(yeniu).toHaveLength(1);
    expect(yeniu[0]?.name).toBe('野牛河（金河段）');
    expect((await models.waterBodies.findOne({ key: 'baixionggou' }).lean())?.removedAt).toEqual(clock.now());
    // Putting it back revives the same record.
    const back = await importDirectory({ text: example, format: 'yaml' }, deps);
    if (!back.ok) throw new Error('unexpected problems');
    expect(back.diff.waterBodies.added.map((w) => w.id)).toEqual(['baixionggou']);
    expect(await models.waterBodies.countDocuments({ key: 'baixionggou' })).toBe(1);
    expect((await models.waterBodies.findOne({ key: 'baixionggou' }).lean())?.removedAt).toBeNull();
  });

  it('writes nothing when the file has any problem, and asks Feishu nothing', async () => {
    const before = await models.waterBodies.find().lean();
    const broken = example
      .replace('name: 野牛河', 'name: 野牛河（新）')
      .replace('liaisonUnit: water-bureau', 'liaisonUnit: no-such-unit');
    const outcome = await importDirectory({ text: broken, format: 'yaml' }, deps);
    expect(outcome.ok).toBe(false);
    expect(summariseImport(outcome).title).toBe('导入未完成：发现 1 处问题，未写入任何数据');
    expect(summariseImport(outcome).lines[0]).toMatch(
      /^waterBodies\[0\]\.liaisonUnit（第 \d+ 行）：大渡河（金口河段）的联络员单位“no-such-unit”不在单位名单中$/,
    );
    expect(await models.waterBodies.find().lean()).toEqual(before);
    expect(fake.callsTo('/open-apis/contact')).toHaveLength(0);
  });

  it('writes nothing when the Feishu look-up fails', async () => {
    const before = await models.waterBodies.find().lean();
    fake.inject({ path: '/open-apis/contact/v3/users/batch_get_id', status: 500, body: { code: 1, msg: 'down' } });
    await expect(
      importDirectory({ text: example.replace('name: 野牛河', 'name: 野牛河（改）'), format: 'yaml' }, deps),
    ).rejects.toThrow(/500/);
    expect(await models.waterBodies.find().lean()).toEqual(before);
  });

  it("after importing, says which chats the bot is not in and who is outside the app's availability range", async () => {
    const client = new lark.Client({ appId: 'cli_org', appSecret: 's', domain: fake.url, logger: quietSdkLogger });
    fake.addChat({ chatId: 'oc_example_yeniu', botIsMember: false });
    fake.setAvailability([
      'ou_example_1',
      'ou_example_3',
      'ou_example_4',
      'ou_example_5',
      'ou_example_6',
      'ou_example_7',
      'ou_example_8',
      'ou_example_9',
      'ou_example_10',
      'ou_example_11',
      'ou_example_sun',
      'ou_example_qian',
    ]);
    try {
      const outcome = await importDirectory(
        { text: example, format: 'yaml' },
        { ...deps, reach: new FeishuReach(client, 'cli_org') },
        { dryRun: true },
      );
      const lines = summariseImport(outcome, { dryRun: true }).lines;
      expect(lines).toContain(
        '机器人不在以下 1 个群中，发到这些群的提醒和卡片会失败（请在群设置 › 群机器人 中添加本应用机器人）：',
      );
      expect(lines).toContain('  野牛河（oc_example_yeniu）');
      expect(lines.find((l) => l.startsWith('以下 1 人不在应用的可用范围内'))).toBeDefined();
      expect(lines).toContain('  李某某（13800000002）');
    } finally {
      fake.addChat({ chatId: 'oc_example_yeniu', botIsMember: true });
      fake.setAvailability('all');
    }
  });
});
