/**
 * `npm run org:import -- FILE [--dry-run]`: imports the organisation directory from a YAML
 * file or an .xlsx workbook (see `npm run org:template`) into the bot's database (MONGODB_URI, or the embedded one under BOT_DATA_DIR), and
 * resolves people given by mobile or email through Feishu when credentials are configured, then
 * checks that the bot is in every chat the directory names and may message every person.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/config/load-or-exit.js';
import { systemClock } from '../src/domain/clock.js';
import { FeishuReach } from '../src/feishu/check/feishu-reach.js';
import { FeishuContacts } from '../src/feishu/contacts.js';
import { feishuClient } from '../src/feishu/sdk-client.js';
import { importThroughLocalBot } from '../src/local/import-through-bot.js';
import { createLogger } from '../src/log/logger.js';
import { DirectoryStore } from '../src/store/directory-store.js';
import { bindModels, ensureIndexes } from '../src/store/models/index.js';
import { type DirectorySource, importDirectory } from '../src/workflows/directory/import-directory.js';
import { summariseImport } from '../src/workflows/directory/import-summary.js';
import { openBotStore } from './bot-store.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'dry-run': { type: 'boolean', default: false } },
});
const file = positionals[0];
if (!file) {
  console.error('用法：npm run org:import -- 名录文件.yaml 或 名录.xlsx [--dry-run]');
  process.exit(1);
}

const config = loadConfigOrExit(process.env);
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
const data = await readFile(file).catch(() => {
  console.error(`无法读取文件：${file}`);
  process.exit(1);
});
const source: DirectorySource = /\.xlsx$/i.test(file)
  ? { format: 'xlsx', data }
  : { format: 'yaml', text: data.toString('utf8') };

// Local mode (no credentials) with the bot running on this data directory: import through it,
// so the running bot sees the directory and its fake Feishu resolves mobiles and emails.
if (!config.feishu.credentials) {
  const through = await importThroughLocalBot(config.dataDir, file, data, values['dry-run']).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
  if (through) {
    console.log(`本地模式的机器人正在运行（${through.botUrl}，数据目录 ${config.dataDir}）：名录通过它导入。`);
    console.log(through.title);
    for (const line of through.lines) console.log(line);
    process.exit(through.ok ? 0 : 2);
  }
}

const store = await openBotStore(config, logger, '机器人正在运行：名录直接导入它正在使用的数据库。');

async function run(): Promise<number> {
  const models = bindModels(store.connection);
  await ensureIndexes(models);
  const credentials = config.feishu.credentials;
  const client = credentials
    ? feishuClient({ appId: credentials.appId, appSecret: credentials.appSecret, domain: config.feishu.domain })
    : undefined;
  const contacts = client ? new FeishuContacts(client) : undefined;
  // Whether the bot is in each chat and may message each person: read-only, so a dry run checks too.
  const reach = client && credentials ? new FeishuReach(client, credentials.appId) : undefined;
  if (!contacts)
    console.warn(
      '未配置飞书凭证：以手机号或邮箱给出的人员将无法解析为飞书账号，也无法核对机器人是否在各群中、能否给每个人发消息。本地体验时请先运行 npm start，再运行本命令：名录将通过本地模式的机器人导入，手机号和邮箱由模拟飞书解析。',
    );
  const outcome = await importDirectory(
    source,
    { store: new DirectoryStore(models, systemClock), contacts, reach },
    { dryRun: values['dry-run'] },
  );
  const summary = summariseImport(outcome, { dryRun: values['dry-run'] });
  console.log(summary.title);
  for (const line of summary.lines) console.log(line);
  return outcome.ok ? 0 : 2;
}

try {
  process.exitCode = await run();
} finally {
  await store.close();
}
