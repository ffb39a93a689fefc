import { describe, expect, it } from 'vitest';
import { buttonValue, reminderDay, useLocalTrial } from './local-trial.js';

interface Person {
  openId: string;
  id: string;
  name: string;
  role: string;
  unit: string;
}
interface Chat {
  chatId: string;
  name: string;
  kind: 'p2p' | 'group';
  unread: number;
}
interface Item {
  index: number;
  messageId: string;
  rootId?: string;
  sender: { kind: 'bot' | 'user'; openId?: string; name?: string };
  msgType: string;
  content: Record<string, unknown>;
  urgent: boolean;
  updatedAt: string;
}

const t = useLocalTrial();

async function people(): Promise<Person[]> {
  return (await t.get<{ people: Person[] }>('/local/api/people')).body.people;
}
async function person(name: string): Promise<Person> {
  const found = (await people()).find((p) => p.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}
async function messages(chat: string, since = 0) {
  return (await t.get<{ items: Item[]; next: number }>(`/local/api/messages?chat=${chat}&since=${since}`)).body;
}
const titleOf = (item: Item) =>
  (item.content.header as { title?: { content?: string } } | undefined)?.title?.content ?? '';

describe('the local trial API', () => {
  it('serves the trial page at /', async () => {
    const page = await fetch(`${t.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('lets every person of the example district act, with their roles', async () => {
    const all = await people();
    expect(all).toHaveLength(12);
    expect(all.find((p) => p.name === '张某某')?.role).toContain('区级总河长');
    expect(all.find((p) => p.name === '吴某某')?.role).toContain('乡级河长');
    expect(all.find((p) => p.name === '钱某某')).toMatchObject({ openId: 'ou_example_qian', unit: '区河长制办公室' });
    // People given by mobile or email get stable ids derived from them.
    expect(all.find((p) => p.name === '张某某')?.openId).toBe('ou_m13800000001');
    expect(all.find((p) => p.name === '孙某某')?.openId).toBe('ou_e_sun_example_gov_cn');
  });

  it("lists a person's direct chat and the group chats they are in", async () => {
    const qian = await person('钱某某');
    const { chats } = (await t.get<{ chats: Chat[] }>(`/local/api/chats?as=${qian.openId}`)).body;
    expect(chats[0]).toMatchObject({ kind: 'p2p', name: '河湖长助手' });
    expect(chats.map((c) => c.name)).toEqual(
      expect.arrayContaining(['区河长制办公室', '大渡河（金口河段）河长群', '野牛河河长群']),
    );
    const wu = await person('吴某某');
    const wuChats = (await t.get<{ chats: Chat[] }>(`/local/api/chats?as=${wu.openId}`)).body.chats;
    expect(wuChats.map((c) => c.name)).toContain('大渡河（金口河段）河长群');
    expect(wuChats.map((c) => c.name)).not.toContain('区河长制办公室');
  });

  it('sends a message through the webhook and shows both sides of the chat, with unread counts', async () => {
    const qian = await person('钱某某');
    const chatId = `oc_fake_p2p_${qian.openId}`;
    const sent = await t.post<{ messageId: string }>('/local/api/send', { as: qian.openId, chatId, text: '/帮助' });
    expect(sent.status).toBe(200);
    const { items } = await messages(chatId);
    expect(items[0]).toMatchObject({ messageId: sent.body.messageId, sender: { kind: 'user', name: '钱某某' } });
    expect(items[0]?.content).toEqual({ text: '/帮助' });
    const answer = items.find((i) => i.sender.kind === 'bot');
    expect(answer?.msgType).toBe('interactive');
    const before = (await t.get<{ chats: Chat[] }>(`/local/api/chats?as=${qian.openId}`)).body.chats[0];
    expect(before?.unread).toBeGreaterThan(0);
    expect((await t.post('/local/api/read', { as: qian.openId, chatId })).status).toBe(200);
    const after = (await t.get<{ chats: Chat[] }>(`/local/api/chats?as=${qian.openId}`)).body.chats[0];
    expect(after?.unread).toBe(0);
  });

  it('@-mentions the bot in a group and downloads the .xlsx it produced', async () => {
    const qian = await person('钱某某');
    const chatId = 'oc_example_hezhangban';
    const { next } = await messages(chatId);
    await t.post('/local/api/send', { as: qian.openId, chatId, text: '/导出 巡河台账' });
    const { items } = await messages(chatId, next);
    expect(items[0]?.content).toEqual({ text: '@_user_1 /导出 巡河台账' });
    const file = items.find((i) => i.msgType === 'file');
    const fileKey = file?.content.file_key as string;
    const res = await fetch(`${t.url}/local/api/files/${fileKey}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('.xlsx'));
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
  });

  it('takes a directory file from office staff in their direct chat, as the page uploads it', async () => {
    const qian = await person('钱某某');
    const chatId = `oc_fake_p2p_${qian.openId}`;
    const { next } = await messages(chatId);
    const yaml = await import('node:fs/promises').then((fs) => fs.readFile('examples/jinkouhe.yaml'));
    await t.post('/local/api/send', {
      as: qian.openId,
      chatId,
      file: { name: 'jinkouhe.yaml', base64: yaml.toString('base64') },
    });
    const { items } = await messages(chatId, next);
    expect(items[0]).toMatchObject({ msgType: 'file', sender: { kind: 'user' } });
    const card = items.find((i) => i.sender.kind === 'bot' && i.msgType === 'interactive');
    expect(JSON.stringify(card?.content)).toContain('jinkouhe.yaml');
  });

  it('moves the clock only forward and runs the jobs at the new time', async () => {
    const { now, timeZone } = (await t.get<{ now: string; timeZone: string }>('/local/api/clock')).body;
    expect(timeZone).toBe('Asia/Shanghai');
    const back = await t.post<{ error: string }>('/local/api/clock', {
      to: new Date(Date.parse(now) - 3600_000).toISOString(),
    });
    expect(back.status).toBe(400);
    expect(back.body.error).toBe('clock_backwards');
    const moved = await t.post<{ now: string }>('/local/api/clock', { nextWorkday9: true });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now)).toBeGreaterThan(Date.parse(now));
    // 09:00 in Shanghai is 01:00 UTC.
    expect(new Date(moved.body.now).getUTCHours()).toBe(1);
  });

  it('records a patrol from a reminder card after the clock reaches a reminder day: form filled, card updated', async () => {
    const chatId = 'oc_example_yeniu';
    const { next } = await messages(chatId);
    const now = new Date((await t.get<{ now: string }>('/local/api/clock')).body.now);
    const day = reminderDay(now);
    expect((await t.post('/local/api/clock', { to: day.toISOString() })).status).toBe(200);
    const { items } = await messages(chatId, next);
    const reminder = items.find((i) => i.sender.kind === 'bot' && /巡河/.test(titleOf(i)));
    expect(reminder, JSON.stringify(items.map(titleOf))).toBeDefined();
    const wang = await person('王某某');
    const direct = `oc_fake_p2p_${wang.openId}`;
    const before = await messages(direct);
    const open = await t.post<{ toast?: { content: string }; card?: unknown }>('/local/api/tap', {
      as: wang.openId,
      messageId: reminder?.messageId,
      chatId,
      value: buttonValue(reminder?.content, /记录|巡河/),
    });
    expect(open.status).toBe(200);
    // The form opens in the tapper's direct chat.
    const form = (await messages(direct, before.next)).items.find((i) => JSON.stringify(i.content).includes('"form"'));
    expect(form, JSON.stringify(open.body)).toBeDefined();
    const date = `${day.toISOString().slice(0, 10)} +0800`;
    const afterForm = (await messages(direct)).next;
    const submit = await t.post<{ toast?: { content: string }; card?: unknown }>('/local/api/tap', {
      as: wang.openId,
      messageId: form?.messageId,
      chatId: direct,
      value: buttonValue(form?.content, /提交/),
      formValue: { date, observations: '河面整洁，未见排污口', problems: '', lateReason: '' },
      name: 'submit',
    });
    expect(submit.status).toBe(200);
    // The answered card replaced the form in place: same message, newer time, no form any more.
    const changed = (await messages(direct, afterForm)).items.find((i) => i.messageId === form?.messageId);
    expect(changed).toBeDefined();
    expect(JSON.stringify(changed?.content)).not.toContain('"tag":"form"');
    expect(Date.parse(changed?.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(form?.updatedAt ?? ''));
  });
});
