import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * 未送达: messages Feishu refused (the bot not in a group, a person outside the app's
 * availability) reach the River Chief Office as one card the next working day, grouped by
 * whom they were for, with what to do; each failure once, and no card when nothing is new.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00'); // Tuesday
const t = useTestBot({ clock });
const OFFICE = 'oc_example_hezhangban';

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

const digests = () => t.fake.messages().filter((m) => m.chatId === OFFICE && text(m.content).includes('未送达消息'));

/** Sends one message the way the bot does, answered by Feishu with this refusal. */
async function refused(key: string, to: { chatId: string } | { openId: string }, code: number, msg: string) {
  clock.advance(1_000);
  t.fake.inject({ method: 'POST', path: '/open-apis/im/v1/messages', status: 400, body: { code, msg } });
  await t.bot.messenger.send(key, to, { kind: 'text', text: '巡河提醒' });
  await t.settle();
}

describe('the undelivered digest', () => {
  it('tells the office the next day which chat and person could not be reached, and what to do', async () => {
    // 发送消息 error table: https://open.feishu.cn/document/server-docs/im-v1/message/create
    await refused('reminder:dadu:1', { chatId: 'oc_example_dadu' }, 230002, 'The bot can not be outside the group.');
    await refused('reminder:dadu:2', { chatId: 'oc_example_dadu' }, 230002, 'The bot can not be outside the group.');
    await refused('reminder:wu:1', { openId: exampleOpenId('wu') }, 230013, 'Bot has NO availability to this user.');
    expect(await t.bot.models.outboxMessages.countDocuments({ status: 'failed' })).toBe(3);

    // Failures after today's reminder hour wait for tomorrow.
    clock.set('2026-11-24T11:00:00+08:00');
    expect(await t.bot.undelivered.sendIfDue(clock.now())).toBe(0);
    clock.set('2026-11-25T08:30:00+08:00');
    expect(await t.bot.undelivered.sendIfDue(clock.now())).toBe(0);

    clock.set('2026-11-25T09:15:00+08:00');
    expect(await t.bot.undelivered.sendIfDue(clock.now())).toBe(3);
    await t.settle();
    expect(digests()).toHaveLength(1);
    const card = text(digests()[0]?.content);
    expect(card).toContain('11月25日');
    expect(card).toContain('有 3 条消息未能送达');
    // Two failures to one chat are one line.
    expect(card).toContain('大渡河（金口河段）的河长群**（2 条）');
    expect(card).toContain('原因：机器人不在该群中');
    expect(card).toContain('把机器人拉入该群');
    expect(card).toContain('吴某某（单聊）**（1 条）');
    expect(card).toContain('原因：此人不在应用的可用范围内');
    expect(card).toContain('加入应用可用范围');
  });

  it('reports each failure once and sends nothing when nothing is new', async () => {
    clock.set('2026-11-25T10:15:00+08:00');
    expect(await t.bot.undelivered.sendIfDue(clock.now())).toBe(0);
    clock.set('2026-11-26T09:15:00+08:00');
    expect(await t.bot.undelivered.sendIfDue(clock.now())).toBe(0);
    await t.settle();
    expect(digests()).toHaveLength(1);

    // A new failure (a resigned person's id no longer resolves) is on the next card, alone.
    clock.set('2026-11-26T15:00:00+08:00');
    await refused(
      'reminder:gone:1',
      { openId: 'ou9f3leftthetenant' },
      99992351,
      'The request you send is not a valid {open_id} or not exists.',
    );
    clock.set('2026-11-27T09:15:00+08:00');
    expect(await t.bot.undelivered.sendIfDue(clock.now())).toBe(1);
    await t.settle();
    expect(digests()).toHaveLength(2);
    const card = text(digests()[1]?.content);
    expect(card).toContain('用户 ou9f3leftthetenant（不在组织名录中）');
    expect(card).toContain('更新组织名录');
    expect(card).not.toContain('大渡河');
  });
});
