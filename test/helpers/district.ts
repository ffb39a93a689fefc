import { readFileSync } from 'node:fs';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Clock } from '../../src/domain/clock.js';
import { FeishuContacts } from '../../src/feishu/contacts.js';
import type { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { DirectoryStore } from '../../src/store/directory-store.js';
import type { Models } from '../../src/store/models/index.js';
import { importDirectory } from '../../src/workflows/directory/import-directory.js';
import { TEST_APP } from './bot.js';

/** People of examples/jinkouhe.yaml by mobile order; each gets open_id ou_example_<name>. */
const BY_MOBILE = ['zhang', 'li', 'wang', 'zhao', '', '', 'zhou', 'wu', 'zheng', 'feng', 'chen', 'chu'];

export const exampleOpenId = (who: string) => `ou_example_${who}`;

/** Imports the shipped example district, with every person known to the fake Feishu. */
export async function importExampleDistrict(
  fake: FakeFeishu,
  models: Models,
  clock: Clock,
  edit: (yaml: string) => string = (y) => y,
): Promise<void> {
  BY_MOBILE.forEach((who, i) => {
    if (who) fake.addUser({ openId: exampleOpenId(who), name: who, mobile: `+86138${String(i + 1).padStart(8, '0')}` });
  });
  fake.addUser({ openId: exampleOpenId('sun'), name: 'sun', email: 'sun@example.gov.cn' });
  const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
  const client = new lark.Client({
    appId: TEST_APP.appId,
    appSecret: TEST_APP.appSecret,
    domain: fake.url,
    logger: quiet,
  });
  const text = readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url), 'utf8');
  // Tests seed records from early in the year: the example district has used the bot since
  // January (启用日期), unless a test edits that line to start it later.
  const live = text.replace('# goLiveOn: 2026-12-02', 'goLiveOn: 2026-01-01');
  const outcome = await importDirectory(
    { text: edit(live), format: 'yaml' },
    { store: new DirectoryStore(models, clock), contacts: new FeishuContacts(client) },
  );
  if (!outcome.ok) throw new Error(`example district did not import: ${JSON.stringify(outcome.problems)}`);
}
