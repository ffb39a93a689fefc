import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * A problem outlives Feishu's 14-day card window: its copies are patched while they can be,
 * and after that each place gets a fresh card, which is the copy from then on; a reply in
 * the fresh card's thread still records progress on the problem.
 */

const DAY = 24 * 3_600_000;
const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

const isProblemCard = (m: FakeMessage, id: string) =>
  m.msgType === 'interactive' && text(m.content).includes(`"id":"${id}"`) && text(m.content).includes('"a":"issue.');
const latest = (m: FakeMessage) => m.updates.at(-1) ?? m.content;

describe('problem cards past 14 days', () => {
  it('patches the copies at day 5 and sends fresh cards on a change at day 20', async () => {
    const issue = await t.bot.issues.report({
      waterBodyId: 'dadu-jinkouhe',
      townshipId: 'yonghe',
      place: '',
      description: '河道内倾倒建筑垃圾',
      category: '河岸',
      urgency: 'normal',
      source: { kind: 'office' },
      foundBy: 'qian-hezhangban',
      foundAt: clock.now(),
      reportedBy: 'qian-hezhangban',
    });
    await t.settle();
    expect(
      (
        await tap(
          'qian',
          { a: 'issue.act', id: issue.id, v: 1, t: 'assign' },
          { unit: 'yonghe', date: '2027-01-29 +0800', text: '清运' },
        )
      ).toast?.content,
    ).toBe('已交办');
    const copies = t.fake.messages().filter((m) => isProblemCard(m, issue.id));
    const places = copies.map((m) => m.chatId);
    expect(places.length).toBeGreaterThanOrEqual(3);

    clock.advance(5 * DAY);
    expect((await tap('wu', { a: 'issue.act', id: issue.id, v: 2, t: 'accept' })).toast?.content).toBe(
      '已接收，请抓紧整改',
    );
    for (const copy of copies) expect(text(latest(t.fake.message(copy.messageId)!))).toContain('整改中');
    expect(t.fake.messages().filter((m) => isProblemCard(m, issue.id))).toHaveLength(copies.length);

    clock.advance(15 * DAY);
    const before = copies.map((c) => t.fake.message(c.messageId)!.updates.length);
    const ack = (await say('wu', { text: '/进展 0001 已清运一半' })).find((m) => m.msgType === 'text');
    expect(ack?.content).toEqual({ text: `已记为${issue.number}问题的进展。` });
    // The old messages are left alone; every place gets one fresh card with the progress.
    expect(copies.map((c) => t.fake.message(c.messageId)!.updates.length)).toEqual(before);
    const fresh = t.fake
      .messages()
      .filter((m) => isProblemCard(m, issue.id) && !copies.some((c) => c.messageId === m.messageId));
    expect(fresh.map((m) => m.chatId).sort()).toEqual([...places].sort());
    for (const card of fresh) expect(text(card.content)).toContain('已清运一半');
    expect(await t.bot.models.outboxMessages.countDocuments({ status: 'failed' })).toBe(0);

    // A reply in the fresh card's thread is progress on the same problem, shown on the fresh cards.
    const wuFresh = fresh.find((m) => m.receiveId === exampleOpenId('wu'))!;
    const replyAck = (
      await say('wu', { chatId: wuFresh.chatId, text: '已全部清运完毕', rootId: wuFresh.messageId })
    ).find((m) => m.msgType === 'text');
    expect(replyAck?.content).toEqual({ text: `已记为${issue.number}问题的进展。` });
    expect(text(latest(t.fake.message(wuFresh.messageId)!))).toContain('已全部清运完毕');
    expect(t.fake.messages().filter((m) => isProblemCard(m, issue.id))).toHaveLength(copies.length * 2);
  });
});
