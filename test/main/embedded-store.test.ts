/**
 * The embedded store under real processes: `npm start` as a child (tsx, as people run it), a
 * fake Feishu in this process, a data directory of its own. What an operator does (kill -9,
 * org:import beside the bot, Ctrl-C) and what the office then sees.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageReceived, postSigned } from '../../src/feishu/fake/event-builders.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { silentLogger } from '../../src/log/logger.js';
import { readBackendRecord } from '../../src/store/provision/backend-record.js';
import { readOwner } from '../../src/store/provision/data-dir-owner.js';
import { stopProcessesServing } from '../../src/store/provision/stale-servers.js';
import { TEST_APP } from '../helpers/bot.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const OFFICE = 'ou_example_qian'; // 区河长办 staff in examples/jinkouhe.yaml

let fake: FakeFeishu;
const children: ChildProcess[] = [];
const dataDirs: string[] = [];

beforeAll(async () => {
  fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret });
});

afterAll(async () => {
  // Nothing outlives the tests: the bots' process groups, then any database server they left.
  for (const child of children) killGroup(child, 'SIGKILL');
  for (const dir of dataDirs) {
    const db = join(dir, 'db');
    await stopProcessesServing([`--state-dir=${join(db, 'ferretdb', 'state')}`], silentLogger());
    const record = await readBackendRecord(db).catch(() => undefined);
    if (record?.postgresDir) {
      await run('runuser', [
        '-u',
        'postgres',
        '--',
        '/usr/lib/postgresql/15/bin/pg_ctl',
        '-D',
        join(record.postgresDir, 'data'),
        '-m',
        'immediate',
        'stop',
      ]);
      if (!record.postgresDir.startsWith(dir)) await rm(record.postgresDir, { recursive: true, force: true });
    }
    await rm(dir, { recursive: true, force: true });
  }
  await fake?.stop();
}, 60_000);

/** Like a checkout under root's 0700 home: PostgreSQL's user cannot enter it. */
async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hehu-embedded-'));
  dataDirs.push(dir);
  return dir;
}

function botEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BOT_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
    FEISHU_APP_ID: TEST_APP.appId,
    FEISHU_APP_SECRET: TEST_APP.appSecret,
    FEISHU_VERIFICATION_TOKEN: TEST_APP.verificationToken,
    FEISHU_ENCRYPT_KEY: TEST_APP.encryptKey,
    FEISHU_DOMAIN: fake.url,
  };
  delete env.MONGODB_URI;
  delete env.HEHU_EMBEDDED_BACKEND;
  return env;
}

interface BotProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `tsx src/main.ts` in a process group of its own, as a terminal runs `npm start`. */
function spawnBot(dataDir: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(TSX, ['src/main.ts'], {
    env: botEnv(dataDir),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function startBot(dataDir: string): Promise<BotProcess> {
  const bot = spawnBot(dataDir);
  const port = await Promise.race([
    (async () => {
      for (;;) {
        const match = /"port":(\d+)[^\n]*"msg":"bot started"/.exec(bot.output());
        if (match) return Number(match[1]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })(),
    bot.exited.then((code) => {
      throw new Error(`bot exited with ${code}:\n${bot.output()}`);
    }),
  ]);
  return { ...bot, url: `http://127.0.0.1:${port}` };
}

/** Posts a direct message from `from`; resolves to the message id the bot's answer replies to. */
async function say(bot: BotProcess, text: string, from = OFFICE): Promise<string> {
  const messageId = `om_${randomBytes(16).toString('hex')}`;
  const event = messageReceived({
    text,
    messageId,
    senderOpenId: from,
    chatId: `oc_p2p_${from}`,
    chatType: 'p2p',
    token: TEST_APP.verificationToken,
    appId: TEST_APP.appId,
  });
  const response = await postSigned(`${bot.url}/webhook/event`, event, { encryptKey: TEST_APP.encryptKey });
  expect(response.status).toBe(200);
  return messageId;
}

function answersTo(messageId: string): string[] {
  return fake.messages({ parentId: messageId }).map((message) => message.rawContent);
}

/** What the bot answered to a message, once it has answered. */
async function answerTo(messageId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const sent = answersTo(messageId);
    if (sent.length > 0) return sent.join('\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer to ${messageId}`);
}

function orgImport(dataDir: string): Promise<{ code: number | null; output: string }> {
  const env = botEnv(dataDir);
  // Without credentials the import does not try to resolve mobiles through Feishu.
  for (const name of Object.keys(env)) if (name.startsWith('FEISHU_')) delete env[name];
  return run(TSX, ['scripts/org-import.ts', 'examples/jinkouhe.yaml'], env);
}

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', (error) => resolve({ code: -1, output: error.message }));
    child.once('close', (code) => resolve({ code, output }));
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

describe('the embedded store never changes under the bot', () => {
  it('org:import beside the running bot reaches its store; after kill -9 the restarted bot has every record', {
    timeout: 60_000,
  }, async () => {
    const dataDir = await newDataDir();
    const first = await startBot(dataDir);

    // Meanwhile a second bot on the same data directory is refused, saying which process holds it.
    const second = spawnBot(dataDir);
    const imported = await orgImport(dataDir);
    expect(imported.output).toContain('机器人正在运行');
    expect(imported.code).toBe(0);
    // The running bot sees the import at once.
    expect(await answerTo(await say(first, '/状态'))).toContain('河湖长制工作状态');
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('另一个河湖长助手实例');

    // kill -9 of the bot itself: its FerretDB and PostgreSQL are left running.
    const owner = await readOwner(join(dataDir, 'db', 'owner.json'));
    process.kill(owner!.pid, 'SIGKILL');
    await first.exited;

    const restarted = await startBot(dataDir);
    const ready = await fetch(`${restarted.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', store: true });
    const answer = await answerTo(await say(restarted, '/状态'));
    expect(answer).toContain('河湖长制工作状态');
    expect(answer).not.toContain('尚未导入组织名录');
    expect(restarted.output()).toContain('taking over');
    killGroup(restarted.child, 'SIGTERM');
    expect(await restarted.exited).toBe(0);
  });

  it('refuses to start when the recorded backend cannot be opened, saying why, instead of an empty store', {
    timeout: 60_000,
  }, async () => {
    const dataDir = await newDataDir();
    const db = join(dataDir, 'db');
    await mkdir(db, { recursive: true });
    const missing = join(dataDir, 'moved-away-cluster');
    await writeFile(
      join(db, 'backend.json'),
      JSON.stringify({
        version: 1,
        backend: 'postgres',
        storeId: randomBytes(8).toString('hex'),
        createdAt: new Date().toISOString(),
        postgresDir: missing,
      }),
    );
    const bot = spawnBot(dataDir);
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('河湖长助手未启动');
    expect(bot.output()).toContain(`数据目录登记的 PostgreSQL 数据库目录 ${missing} 不存在`);
    expect(bot.output()).toContain('will not start on another, empty store');
    // Nothing else was created in its place.
    expect(JSON.parse(await readFile(join(db, 'backend.json'), 'utf8'))).toMatchObject({
      backend: 'postgres',
      postgresDir: missing,
    });
    await expect(readFile(join(db, 'owner.json'))).rejects.toThrow();
  });
});

describe('shutdown', () => {
  it('a doubled SIGTERM still drains: every reply is sent', { timeout: 60_000 }, async () => {
    const dataDir = await newDataDir();
    const bot = await startBot(dataDir);
    const asked: string[] = [];
    for (let i = 0; i < 6; i++) asked.push(await say(bot, '/帮助', `ou_drain_${i}_${randomBytes(3).toString('hex')}`));
    // One stop often reaches the bot twice (to the process group, and relayed by npm and tsx);
    // the second comes while the first is draining.
    const owner = await readOwner(join(dataDir, 'db', 'owner.json'));
    process.kill(owner!.pid, 'SIGTERM');
    while (!bot.output().includes('shutting down')) await new Promise((resolve) => setTimeout(resolve, 5));
    process.kill(owner!.pid, 'SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('already shutting down');
    expect(bot.output()).toContain('bot stopped');
    for (const messageId of asked) expect(answersTo(messageId)).toHaveLength(1);
  });
});
