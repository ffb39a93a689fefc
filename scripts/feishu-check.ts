/**
 * `npm run feishu:check [-- --chat oc_… --directory 名录.yaml|名录.xlsx]`: checks, with the
 * real credentials (FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_DOMAIN), that the bot can work in
 * this tenant, and prints what to fix. Exits 1 when anything failed.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as lark from '@larksuiteoapi/node-sdk';
import { loadConfigOrExit } from '../src/config/load-or-exit.js';
import { systemClock } from '../src/domain/clock.js';
import { type CheckOptions, checkFailed, formatCheckReport, runFeishuCheck } from '../src/feishu/check/run-check.js';
import { FeishuContacts } from '../src/feishu/contacts.js';
import { feishuClient } from '../src/feishu/sdk-client.js';
import { createLogger } from '../src/log/logger.js';
import { sdkLogger } from '../src/main/sdk-logger.js';
import { DirectoryStore } from '../src/store/directory-store.js';
import { bindModels } from '../src/store/models/index.js';
import { parseWorkbookDirectory } from '../src/workflows/directory/xlsx-directory.js';
import { parseYamlDirectory } from '../src/workflows/directory/yaml-directory.js';
import { openBotStore } from './bot-store.js';

const { values } = parseArgs({
  options: { chat: { type: 'string' }, directory: { type: 'string' }, help: { type: 'boolean', default: false } },
});
if (values.help) {
  console.log('用法：npm run feishu:check [-- --chat oc_测试群ID] [--directory 名录.yaml|名录.xlsx]');
  process.exit(0);
}

const config = loadConfigOrExit(process.env);
const credentials = config.feishu.credentials;
if (!credentials) {
  console.error(
    '未配置飞书凭证：请设置 FEISHU_APP_ID 与 FEISHU_APP_SECRET（开发者后台 › 你的应用 › 凭证与基础信息）后再运行。',
  );
  process.exit(1);
}
if (values.chat !== undefined && !values.chat.startsWith('oc_')) {
  console.error(`--chat 须为群 ID（oc_ 开头），收到：${values.chat}`);
  process.exit(1);
}

const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
const client = feishuClient({
  appId: credentials.appId,
  appSecret: credentials.appSecret,
  domain: config.feishu.domain,
  logger: sdkLogger(logger),
  loggerLevel: lark.LoggerLevel.error,
});

/** The directory from the file given, or the one the bot's database holds (undefined before an import). */
async function loadDirectory(): Promise<CheckOptions['directory']> {
  if (values.directory) {
    const data = await readFile(values.directory);
    const parsed = /\.xlsx$/i.test(values.directory)
      ? await parseWorkbookDirectory(data)
      : parseYamlDirectory(data.toString('utf8'));
    if (!parsed.ok)
      throw new Error(`名录文件有误：\n${parsed.problems.map((p) => `  ${p.where}：${p.message}`).join('\n')}`);
    return parsed.directory;
  }
  // The running bot's database when it runs (never a second server on its data directory).
  const store = await openBotStore(config, logger);
  try {
    const active = await new DirectoryStore(bindModels(store.connection), systemClock).loadActive();
    return active.settings ? active : undefined;
  } finally {
    await store.close();
  }
}

try {
  const sections = await runFeishuCheck({
    client,
    appId: credentials.appId,
    appSecret: credentials.appSecret,
    directory: await loadDirectory(),
    contacts: new FeishuContacts(client),
    testChat: values.chat,
    // Feishu takes at most 5 messages a second in one chat.
    pace: () => new Promise((resolve) => setTimeout(resolve, 250)),
  });
  console.log(formatCheckReport(sections));
  process.exitCode = checkFailed(sections) ? 1 : 0;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
