/**
 * Talk to a locally running bot as any person: `npm run chat -- --as 钱某某 "/帮助"`.
 * Everything goes through the trial page's API (/local/api), which posts signed, encrypted
 * events and card callbacks to the bot's own webhook, exactly as Feishu would; the bot's
 * answers are read back from the local fake Feishu and printed here.
 *
 *   --as WHO            who is speaking: a name (钱某某), a directory id (qian-hezhangban) or an open_id (required)
 *   --group CHAT_ID     speak in a group chat, @-mentioning the bot (default: the direct chat with the bot)
 *   --thread MESSAGE_ID reply in that message's thread (e.g. `议定：…` under a meeting card, progress under a problem)
 *   --file PATH         send a file instead of text (a directory workbook, minutes' attachment…)
 *   --tap MESSAGE_ID    tap a card button instead: the text is the button's callback value (JSON)
 *   --form JSON         with --tap: submit the card's form with these values, e.g. '{"date":"2026-12-25 +0800"}'
 *   --data DIR          the bot's BOT_DATA_DIR (default ./.data)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { p2pChatIdFor } from '../src/feishu/fake/fake-ids.js';
import type { FakeMessage } from '../src/feishu/fake/fake-types.js';
import { describeMessage } from '../src/feishu/fake/render-console.js';
import { savedFilePath } from '../src/local/console-output.js';
import { readLocalSession } from '../src/local/local-feishu.js';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      group: { type: 'string' },
      thread: { type: 'string' },
      file: { type: 'string' },
      tap: { type: 'string' },
      form: { type: 'string' },
      data: { type: 'string', default: process.env.BOT_DATA_DIR ?? './.data' },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n用法见 scripts/chat.ts 开头的说明。`);
}
const { values, positionals } = parsed;

function json(text: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  fail(`${what}必须是 JSON 对象，例如 '{"a":"patrol.open","id":"…"}'（从卡片的按钮“回调”中复制）；收到的是：${text}`);
}

const who =
  values.as ??
  fail('请用 --as 指定发言人（姓名、名录中的人员 ID 或 open_id），例如：npm run chat -- --as 钱某某 "/帮助"');
const text = positionals.join(' ').trim();
if (!values.file && !text && !values.form) fail('请给出要发送的内容，例如："/帮助"');
if (values.form && !values.tap) fail('--form 要和 --tap 一起用：--tap 表单所在卡片的消息 ID。');
const dataDir = resolve(values.data);
const session =
  (await readLocalSession(dataDir)) ??
  fail(
    [
      `在数据目录 ${dataDir} 中没有找到本地模式机器人的记录（local-feishu.json）。`,
      '· 如果机器人已在运行：请用 --data 或 BOT_DATA_DIR 指向 npm start 使用的数据目录（默认 ./.data）。',
      '· 否则请先在另一个终端运行 npm start（不配置飞书凭证）。',
    ].join('\n'),
  );

async function api<T>(path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${session.botUrl}/local/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    fail(`连接不上本地模式的机器人（${session.botUrl}，数据目录 ${dataDir}）。请确认 npm start 仍在运行。`);
  }
  if (res.status === 404 && path === '/people')
    fail(`${session.botUrl} 上的机器人没有以本地模式运行（配置了飞书凭证）：npm run chat 只用于本地模式。`);
  const answer = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) fail(`机器人没有接受：${answer.message ?? `HTTP ${res.status}`}`);
  return answer;
}

interface Inspected {
  messageId: string;
  chatId?: string;
  fromPerson: boolean;
  msgType: string;
  content: { file_key?: string; file_name?: string };
  text: string;
}
async function sentSince(since: number): Promise<{ items: Inspected[]; next: number }> {
  const res = await fetch(`${session.fakeUrl}/__fake__/messages?since=${since}`).catch(() =>
    fail(`连接不上本地模拟飞书（${session.fakeUrl}）。请确认 npm start 仍在运行。`),
  );
  return ((await res.json()) as { data: { items: Inspected[]; next: number } }).data;
}

const { people } = await api<{ people: Array<{ openId: string; id: string; name: string }> }>('/people');
const matches = people.filter((p) => p.openId === who || p.id === who || p.name === who);
if (matches.length > 1)
  fail(`名录中有 ${matches.length} 人叫“${who}”，请改用人员 ID：${matches.map((p) => p.id).join('、')}`);
const speaker = matches[0]?.openId ?? (who.startsWith('ou_') ? who : undefined);
if (!speaker)
  fail(`名录中没有“${who}”。可以用的身份：\n${people.map((p) => `  ${p.name}（${p.id}，${p.openId}）`).join('\n')}`);

const start = (await sentSince(0)).next;
let answered = false;
if (values.tap) {
  const value = text ? json(text, '--tap 的按钮值') : {};
  const formValue = values.form ? json(values.form, '--form 的表单值') : undefined;
  const known = (await sentSince(0)).items.find((m) => m.messageId === values.tap);
  const chatId = values.group ?? known?.chatId ?? p2pChatIdFor(speaker);
  const answer = await api<{ toast?: { content?: string }; card?: unknown }>('/tap', {
    as: speaker,
    messageId: values.tap,
    chatId,
    value,
    ...(formValue && { formValue }),
  });
  if (answer.toast?.content) console.log(`〔提示〕${answer.toast.content}`);
  if (answer.card !== undefined) {
    const group = !chatId.startsWith('oc_fake_p2p_');
    const shown = {
      messageId: values.tap,
      receiveIdType: group ? 'chat_id' : 'open_id',
      receiveId: group ? chatId : speaker,
      msgType: 'interactive',
      content: answer.card,
      updates: [answer.card],
    };
    console.log(
      `${describeMessage({ ...shown, rawContent: '', createdAt: new Date(), urgentTo: [] } satisfies FakeMessage)}\n`,
    );
  }
  answered = answer.toast !== undefined || answer.card !== undefined;
} else {
  const chatId = values.group ?? p2pChatIdFor(speaker);
  const file = values.file
    ? {
        name: basename(values.file),
        base64: (await readFile(values.file).catch(() => fail(`无法读取文件：${values.file}`))).toString('base64'),
      }
    : undefined;
  await api('/send', {
    as: speaker,
    chatId,
    ...(file ? { file } : { text }),
    ...(values.thread && { rootId: values.thread }),
  });
}

// The API answers once the bot has handled the event and delivered what it sent: print it now.
const { items } = await sentSince(start);
let printed = 0;
for (const item of items) {
  if (item.fromPerson) continue;
  printed++;
  let line = item.text;
  if (item.msgType === 'file' && item.content.file_key) {
    const res = await fetch(`${session.botUrl}/local/api/files/${item.content.file_key}`);
    if (res.ok) {
      // A sent file message carries only its key; the name is the upload's (content-disposition).
      const named = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      const name = named ? decodeURIComponent(named) : (item.content.file_name ?? item.content.file_key);
      const path = savedFilePath(dataDir, item.content.file_key, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, Buffer.from(await res.arrayBuffer()));
      line += `\n  已保存：${path}`;
    }
  }
  console.log(`${line}\n`);
}
if (printed === 0 && !answered) console.log('（机器人没有回复）');
