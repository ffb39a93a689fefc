/**
 * Talk to a locally running bot as any person: `npm run chat -- --as ou_example_zhang "/帮助"`.
 * The message goes through the same encrypted, signed webhook path as production, and the
 * bot's answers are read back from the local fake Feishu and printed here.
 *
 *   --as OPEN_ID        who is speaking (required)
 *   --group CHAT_ID     speak in a group chat, @-mentioning the bot (default: a direct chat)
 *   --tap MESSAGE_ID    tap a card button instead: the text is the button's JSON value
 *   --data DIR          the bot's BOT_DATA_DIR (default ./.data)
 */
import { parseArgs } from 'node:util';
import { cardAction, messageReceived, postSigned } from '../src/feishu/fake/event-builders.js';
import { readLocalSession } from '../src/local/local-feishu.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    as: { type: 'string' },
    group: { type: 'string' },
    tap: { type: 'string' },
    data: { type: 'string', default: process.env.BOT_DATA_DIR ?? './.data' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const speaker =
  values.as ?? fail('请用 --as 指定发言人的 open_id，例如：npm run chat -- --as ou_example_zhang "/帮助"');
const text = positionals.join(' ').trim() || fail('请给出要发送的内容，例如："/帮助"');
const session =
  (await readLocalSession(values.data)) ??
  fail(
    `没有找到本地模式的机器人（${values.data}/local-feishu.json）。请先在另一个终端运行 npm start（不配置飞书凭证）。`,
  );

async function fetchSince(since: number): Promise<{ items: Array<{ text: string }>; next: number }> {
  const res = await fetch(`${session.fakeUrl}/__fake__/messages?since=${since}`);
  const body = (await res.json()) as { data: { items: Array<{ text: string }>; next: number } };
  return body.data;
}

let start: number;
try {
  start = (await fetchSince(0)).next;
} catch {
  fail(`连接不上本地机器人（${session.fakeUrl}）。请确认 npm start 仍在运行。`);
}

const payload = values.tap
  ? cardAction({
      operatorOpenId: speaker,
      value: JSON.parse(text) as Record<string, unknown>,
      messageId: values.tap,
      chatId: values.group ?? `oc_local_p2p_${speaker}`,
      verificationToken: session.verificationToken,
      appId: session.appId,
    })
  : messageReceived({
      text: values.group ? `@_user_1 ${text}` : text,
      senderOpenId: speaker,
      chatId: values.group ?? `oc_local_p2p_${speaker}`,
      chatType: values.group ? 'group' : 'p2p',
      mentions: values.group ? [{ key: '@_user_1', openId: session.botOpenId, name: '河湖长助手' }] : [],
      token: session.verificationToken,
      appId: session.appId,
    });

const response = await postSigned(`${session.botUrl}/webhook/${values.tap ? 'card' : 'event'}`, payload, {
  encryptKey: session.encryptKey,
});
if (response.status !== 200) fail(`机器人拒绝了请求：HTTP ${response.status} ${response.text}`);
const toast = (response.json as { toast?: { content?: string } } | undefined)?.toast;
if (toast?.content) console.log(`〔提示〕${toast.content}`);

// Print what the bot sends in answer; stop after a short quiet spell.
let since = start;
let quietUntil = Date.now() + 5_000;
while (Date.now() < quietUntil) {
  await new Promise((resolve) => setTimeout(resolve, 150));
  const { items, next } = await fetchSince(since);
  for (const item of items) console.log(`${item.text}\n`);
  if (items.length > 0) quietUntil = Math.min(quietUntil, Date.now() + 800);
  since = next;
}
if (since === start && !toast) console.log('（机器人没有回复）');
