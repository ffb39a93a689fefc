import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { type LocalMode, startLocalMode } from '../../src/local/local-mode.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { captureLogs } from '../helpers/logs.js';
import { buttonValue } from './local-trial.js';

interface Item {
  messageId: string;
  sender: { kind: 'bot' | 'user'; name?: string };
  msgType: string;
  content: Record<string, unknown>;
  updatedAt: string;
}
interface Chat {
  chatId: string;
  unread: number;
}

let db: TestDatabase;
let dataDir: string;
let local: LocalMode | undefined;

/** Local mode on the same database and data dir each time, as `npm start` run again. */
async function start(): Promise<LocalMode> {
  const config = loadConfig({ MONGODB_URI: db.uri, PORT: '0', BOT_DATA_DIR: dataDir });
  local = await startLocalMode({ config, logger: captureLogs().logger, host: '127.0.0.1', importExample: true });
  return local;
}

async function stop(): Promise<void> {
  await local?.stop();
  local = undefined;
}

async function call<T>(path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const init: RequestInit =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(`${local?.bot.url}${path}`, init);
  return { status: res.status, body: (await res.json()) as T };
}

async function openIdOf(name: string): Promise<string> {
  const { people } = (await call<{ people: Array<{ openId: string; name: string }> }>('/local/api/people')).body;
  const found = people.find((p) => p.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found.openId;
}

async function messages(chatId: string, since = 0) {
  return (await call<{ items: Item[]; next: number }>(`/local/api/messages?chat=${chatId}&since=${since}`)).body;
}

beforeAll(async () => {
  db = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'hehu-restart-'));
}, 60_000);

afterAll(async () => {
  await stop();
  await db?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('local mode across a restart', () => {
  it('keeps the chats, read marks and files, and a card from before still updates in place', async () => {
    await start();
    const wang = await openIdOf('王某某');
    const direct = `oc_fake_p2p_${wang}`;
    await call('/local/api/send', { as: wang, chatId: direct, text: '/巡河' });
    const duty = (await messages(direct)).items.find((i) => i.sender.kind === 'bot' && i.msgType === 'interactive');
    expect(duty).toBeDefined();
    // The duty card's button opens the patrol form, a card the bot will later replace.
    await call('/local/api/tap', {
      as: wang,
      messageId: duty?.messageId,
      chatId: direct,
      value: buttonValue(duty?.content, /记录|巡河/),
    });
    const before = (await messages(direct)).items;
    const form = before.find((i) => JSON.stringify(i.content).includes('"tag":"form"'));
    expect(form, JSON.stringify(before)).toBeDefined();
    expect(before[0]).toMatchObject({ sender: { kind: 'user', name: '王某某' }, content: { text: '/巡河' } });
    expect((await call('/local/api/read', { as: wang, chatId: direct })).status).toBe(200);
    // A file the bot produced, to download after the restart.
    const qian = await openIdOf('钱某某');
    const office = 'oc_example_hezhangban';
    const { next } = await messages(office);
    await call('/local/api/send', { as: qian, chatId: office, text: '/导出 巡河台账' });
    const file = (await messages(office, next)).items.find((i) => i.msgType === 'file');
    const fileKey = file?.content.file_key as string;
    const fileBytes = Buffer.from(await (await fetch(`${local?.bot.url}/local/api/files/${fileKey}`)).arrayBuffer());
    const now = (await call<{ now: string }>('/local/api/clock')).body.now;
    await stop();

    await start();
    const after = (await messages(direct)).items;
    // Both sides of the chat as they were, under the ids the bot kept, and read.
    expect(after.map((i) => [i.messageId, i.sender.kind, i.content])).toEqual(
      before.map((i) => [i.messageId, i.sender.kind, i.content]),
    );
    const chats = (await call<{ chats: Chat[] }>(`/local/api/chats?as=${wang}`)).body.chats;
    expect(chats.find((c) => c.chatId === direct)?.unread).toBe(0);
    const download = await fetch(`${local?.bot.url}/local/api/files/${fileKey}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(fileBytes)).toBe(true);

    // Submitting the form sent before the restart replaces that card in place.
    const { next: sinceRestart } = await messages(direct);
    const submit = await call('/local/api/tap', {
      as: wang,
      messageId: form?.messageId,
      chatId: direct,
      value: buttonValue(form?.content, /提交/),
      formValue: { date: `${now.slice(0, 10)} +0800`, observations: '河面整洁', problems: '', lateReason: '' },
      name: 'submit',
    });
    expect(submit.status).toBe(200);
    const changed = (await messages(direct, sinceRestart)).items;
    const replaced = changed.find((i) => i.messageId === form?.messageId);
    expect(replaced, JSON.stringify(changed)).toBeDefined();
    expect(JSON.stringify(replaced?.content)).not.toContain('"tag":"form"');
    // Messages sent since take new ids: none overwrote one from before.
    const sent = await call<{ messageId: string }>('/local/api/send', { as: wang, chatId: direct, text: '/帮助' });
    expect(before.map((i) => i.messageId)).not.toContain(sent.body.messageId);
    const latest = (await messages(direct)).items;
    for (const old of before.filter((i) => i.messageId !== form?.messageId)) {
      expect(latest.find((i) => i.messageId === old.messageId)?.content).toEqual(old.content);
    }
    expect(latest.at(-1)?.sender.kind).toBe('bot');
  });
});
