import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * Withdrawing a patrol: the card and /巡河 tell the period's true state from one computation,
 * and the problems registered from that patrol are put to the recorder, one by one, to keep
 * (a real problem stays real) or to withdraw.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const duty = { d: 'riverChief:li-hezhang:dadu-jinkouhe', p: '2026-11' };

const current = (m: FakeMessage | undefined) => m?.updates.at(-1) ?? m?.content;
const directTo = (who: string) =>
  t.fake
    .messages({ receiveIdType: 'open_id', receiveId: exampleOpenId(who) })
    .filter((m) => m.msgType === 'interactive');

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

// Sequential: the patrols recorded and withdrawn in one test are what the next one withdraws or counts.
describe.sequential('withdrawing a patrol', () => {
  it('shows the period’s true state on the card and in /巡河 when another patrol still counts', async () => {
    await tap(
      'li',
      { a: 'patrol.submit', ...duty },
      { date: '2026-11-20 +0800', observations: '河面整洁', problems: '' },
      'om_form_li',
    );
    const bySun = await tap(
      'sun',
      { a: 'patrol.submit', ...duty },
      { date: '2026-11-23 +0800', observations: '岸边有垃圾', problems: '滨河路段岸边建筑垃圾\n新民村段有疑似排污口' },
      'om_form_sun',
    );
    expect(text(bySun.card)).toContain('巡河已记录（11月23日');
    const sunPatrol = (await t.bot.models.patrols.findOne({ recordedBy: 'sun-shuiwu' }).lean())!;

    const withdrawn = await tap('sun', { a: 'patrol.withdraw', ...duty, id: sunPatrol.key, v: 1 });
    expect(withdrawn.toast?.content).toBe('巡河记录已撤回');
    // 李某某's own patrol of 11月20日 still fulfils November.
    expect(text(withdrawn.card)).toContain('巡河已记录（11月20日，本人记录）');
    expect(text(withdrawn.card)).not.toContain('尚未巡河');
    const [list] = await say('li', { text: '/巡河' });
    expect(text(list?.content)).toContain('本月已巡河 ✓');
  });

  it('puts the problems registered from it to the recorder, each to keep or withdraw', async () => {
    const choices = directTo('sun').find((m) => text(m.content).includes('撤回的巡河记录登记了 2 个问题'))!;
    expect(choices).toBeDefined();
    const card = text(choices.content);
    expect(card).toContain('滨河路段岸边建筑垃圾');
    expect(card).toContain('新民村段有疑似排污口');
    const issues = await t.bot.models.issues.find().sort({ seq: 1 }).lean();
    expect(issues.map((i) => i.state)).toEqual(['reported', 'reported']);

    const [first, second] = issues;
    // Nobody but the recorder may choose.
    const byOther = await tap(
      'qian',
      { a: 'issue.withdrawFromPatrol', id: first!.key, v: first!.version },
      undefined,
      choices.messageId,
    );
    expect(byOther.toast).toEqual({ type: 'error', content: '只有所撤回巡河记录的记录人可以撤销由其登记的问题。' });

    const gone = await tap(
      'sun',
      { a: 'issue.withdrawFromPatrol', id: first!.key, v: first!.version },
      undefined,
      choices.messageId,
    );
    expect(gone.toast?.content).toBe('问题已撤销');
    expect(text(gone.card)).toContain('已撤销');
    const kept = await tap(
      'sun',
      { a: 'issue.keepFromPatrol', id: second!.key, v: second!.version },
      undefined,
      choices.messageId,
    );
    expect(kept.toast?.content).toBe('问题已保留，继续办理');
    expect(text(kept.card)).toContain('已保留');
    expect(text(kept.card)).not.toContain('"a":"issue.');

    const after = await t.bot.models.issues.find().sort({ seq: 1 }).lean();
    expect(after.map((i) => i.state)).toEqual(['withdrawn', 'reported']);
    expect(after[0]!.history.at(-1)).toMatchObject({ action: 'withdraw', by: 'sun-shuiwu', to: 'withdrawn' });
    expect(after[1]!.history.at(-1)).toMatchObject({ action: 'confirm', by: 'sun-shuiwu', to: 'reported' });
    // The office's copy of the withdrawn problem says so and offers no 交办.
    const officeCopy = t.fake
      .messages()
      .find((m) => m.chatId === 'oc_example_hezhangban' && text(m.content).includes(after[0]!.number));
    expect(text(current(officeCopy))).toContain('已撤销');
    expect(text(current(officeCopy))).not.toContain('"t":"assign"');
    // Still open: the one kept.
    const [open] = await say('qian', { text: '/问题 登记' });
    expect(text(open?.content)).toContain('新民村段有疑似排污口');
    expect(text(open?.content)).not.toContain('滨河路段岸边建筑垃圾');
    // A problem withdrawn as registered in error is not counted as new in /状态.
    const [status] = await say('qian', { text: '/状态' });
    expect(text(status?.content)).toContain('本月新增 1 个');
  });

  it('says 尚未巡河 on the card and in /巡河 once no patrol counts', async () => {
    const own = (await t.bot.models.patrols.findOne({ recordedBy: 'li-hezhang' }).lean())!;
    const withdrawn = await tap('li', { a: 'patrol.withdraw', ...duty, id: own.key, v: 1 });
    expect(text(withdrawn.card)).toContain('本月尚未巡河');
    const [list] = await say('li', { text: '/巡河' });
    expect(text(list?.content)).toContain('本月尚未巡河');
    // No problems came from it: nothing more is sent.
    expect(directTo('li').some((m) => text(m.content).includes('撤回的巡河记录登记了'))).toBe(false);
  });
});
