import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * A problem's history is a record of facts written when they happened: 交办 names the unit it
 * went to then, 延期 keeps the dates asked for and granted. Nothing is rendered from what the
 * problem is now, so a 责任退回 and a new 交办 cannot rewrite earlier lines.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

const issue = async () => (await t.bot.models.issues.findOne({ seq: 1 }).lean())!;
const button = async (a: string, type: string) => ({ a, id: (await issue()).key, v: (await issue()).version, t: type });
/** The card's 处理记录 panel, one line per entry. */
const historyLines = (card: unknown): string[] => {
  const panel = JSON.stringify(card).match(
    /"处理记录"\}\},"elements":\[\{"tag":"markdown","content":"((?:[^"\\]|\\.)*)"/,
  );
  return panel ? (JSON.parse(`"${panel[1]}"`) as string).split('\n') : [];
};

// Sequential: the later tests read and extend the history of the problem the first one registered and moved.
describe.sequential('history lines are facts of their time', () => {
  it('keeps 交办（金河镇） after 金河镇 returns it and it is assigned to 共安彝族乡', async () => {
    const [formMessage] = await say('qian', { text: '/登记' });
    await tap(
      'qian',
      { a: 'issue.create' },
      { water: 'yeniu', place: '铜河村段', description: '河道内倾倒生活垃圾', category: '河面' },
      formMessage!.messageId,
    );

    await tap('qian', await button('issue.form', 'assign'));
    const toJinhe = await tap('qian', await button('issue.act', 'assign'), {
      unit: 'jinhe',
      date: '2026-12-04 +0800',
      text: '清理河道垃圾',
    });
    expect(toJinhe.toast?.content).toBe('已交办');

    await tap('zheng', await button('issue.form', 'returnResponsibility'));
    const returned = await tap('zheng', await button('issue.act', 'returnResponsibility'), {
      text: '该段属共安彝族乡管辖',
    });
    expect(returned.toast?.content).toBe('已退回区河长制办公室');
    const afterReturn = historyLines(returned.card);
    expect(afterReturn.some((l) => l.includes('交办（金河镇，期限12月4日）：清理河道垃圾'))).toBe(true);
    expect(afterReturn.some((l) => l.includes('责任退回（金河镇）：该段属共安彝族乡管辖'))).toBe(true);
    expect(afterReturn.some((l) => l.includes('交办（）'))).toBe(false);

    await tap('qian', await button('issue.form', 'assign'));
    const toGongan = await tap('qian', await button('issue.act', 'assign'), {
      unit: 'gongan',
      date: '2026-12-08 +0800',
      text: '清理河道垃圾，设置警示牌',
    });
    const lines = historyLines(toGongan.card);
    expect(lines.filter((l) => l.includes('交办（金河镇，期限12月4日）：清理河道垃圾'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('交办（共安彝族乡，期限12月8日）：清理河道垃圾，设置警示牌'))).toHaveLength(
      1,
    );
  });

  it('keeps the dates of a 延期: asked for, granted, and the deadline it replaced', async () => {
    await tap('feng', await button('issue.act', 'accept'));
    await tap('feng', await button('issue.form', 'requestExtension'));
    const asked = await tap('feng', await button('issue.act', 'requestExtension'), {
      date: '2026-12-20 +0800',
      text: '汛后水位高，需机械清理',
    });
    expect(asked.toast?.content).toBe('延期申请已提交');
    const granted = await tap('qian', await button('issue.act', 'approveExtension'));
    const lines = historyLines(granted.card);
    expect(lines.some((l) => l.includes('申请延期至12月20日（原期限12月8日）：汛后水位高，需机械清理'))).toBe(true);
    expect(lines.some((l) => l.includes('同意延期至12月20日（原期限12月8日）'))).toBe(true);
    // The closing report's timeline reads the same facts.
    const [card] = await say('qian', { text: '/问题 0001' });
    expect(text(card?.content)).toContain('交办（金河镇，期限12月4日）');
  });

  it('renders a line stored before facts were kept from what it holds, never from the problem now', async () => {
    const key = (await issue()).key;
    // A line as stored by earlier versions: no unit, no dates.
    await t.bot.models.issues.updateOne({ key }, { $set: { 'history.1.facts': null } }).exec();
    const [card] = await say('qian', { text: '/问题 0001' });
    const lines = historyLines(card?.content);
    expect(lines.some((l) => l.includes('交办（单位未记录）：清理河道垃圾'))).toBe(true);
    expect(lines.some((l) => l.includes('交办（共安彝族乡'))).toBe(true);
  });
});
