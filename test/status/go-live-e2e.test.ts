import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * A district that starts using the bot on Wednesday 2 December: its 启用日期 is the day of its
 * first import (the directory sets none). Nothing before it is counted against anyone: no
 * chief is overdue for November, no township scores 0 for a year without records, the
 * year's rates start from it, and no yearly deadline that passed before it is chased.
 */

const clock = new ManualClock('2026-12-02T09:30:00+08:00');
const t = useTestBot({ clock });
const { say } = peopleChat(t, clock);

beforeAll(async () => {
  // The example as a district would send it: no goLiveOn, so the import records the day.
  await importExampleDistrict(t.fake, t.bot.models, clock, (yaml) => yaml.replace(/^goLiveOn: .*\n/m, ''));
});

// Sequential: the first test reads the import time off the clock, which every later test moves on.
describe.sequential('the first day of a district that goes live in December', () => {
  it('records the first import as the go-live day', async () => {
    const settings = await t.bot.models.settings.findById('current').lean();
    expect(settings?.goLiveOn ?? null).toBeNull();
    expect(settings?.firstImportedAt?.toISOString()).toBe(
      clock
        .now()
        .toISOString()
        .replace(/\.\d+Z$/, '.000Z'),
    );
  });

  it('lists no chief as overdue for November in /逾期', async () => {
    const [card] = await say('qian', { text: '/逾期' });
    expect(text(card?.content)).toContain('逾期事项');
    expect(text(card?.content)).not.toContain('2026年11月巡河');
    expect(text(card?.content)).not.toContain('巡河未完成（上一周期）');
  });

  it('owes no patrol in /巡河 for a month before the go-live day, and only the go-live months of the year', async () => {
    const [september] = await say('qian', { text: '/巡河 九月' });
    expect(text(september?.content)).toContain('在启用日（12月2日）之前，不计巡河职责。');
    expect(text(september?.content)).not.toContain('❌');
    // October's monthly duties are not owed; the general chief's fourth quarter (live in December) is.
    const [october] = await say('qian', { text: '/巡河 十月' });
    expect(text(october?.content)).toContain('区级总河长 张某某：0/1 次（2026年第四季度）');
    expect(text(october?.content)).not.toContain('区级河湖长 李某某');
    const [year] = await say('qian', { text: '/巡河 大渡河 2026年' });
    expect(text(year?.content)).toContain('区级河湖长 李某某：0/1 次');
    expect(text(year?.content)).not.toContain('0/12 次');
  });

  it('counts /状态 rates from the go-live day and says so', async () => {
    const [card] = await say('qian', { text: '/状态' });
    const shown = text(card?.content);
    expect(shown).toContain('区级河湖长：本月 0/2（0%）· 本年 0%');
    expect(shown).toContain('本年比率自启用日（12月2日）起计算。');
    // The chart starts in December, not with eleven empty months.
    expect(shown).toContain('"month":"12月"');
    expect(shown).not.toContain('"month":"11月"');
  });

  it('ranks nobody on a year without records in /考核, and says where counting starts', async () => {
    const [card] = await say('qian', { text: '/考核 2026年' });
    const shown = text(card?.content);
    expect(shown).toContain('（自启用日（12月2日）起）');
    expect(shown).toContain("永和镇<font color='grey'>：本年度无考核记录，不参与排名");
    expect(shown).not.toMatch(/\*\*永和镇\*\* 0 分/);
  });

  it('chases no patrol, meeting or four lists whose deadline passed before it', async () => {
    const before = t.fake.messages().length;
    const patrols = await t.bot.patrols.sweep(clock.now());
    expect(patrols.overdue).toBe(0);
    expect(patrols.digest).toBe(false);
    const meetings = await t.bot.meetingSweep.sweep(clock.now());
    expect(meetings).toMatchObject({ annualMeeting: false, fourLists: 0, jointMeetings: 0 });
    await t.settle();
    const sent = t.fake
      .messages()
      .slice(before)
      .map((m) => text(m.content));
    expect(sent.some((s) => s.includes('四张清单') || s.includes('尚未召开') || s.includes('巡河未完成'))).toBe(false);
  });

  it('owes on reminder cards only the periods from the go-live day: 本年已巡河0/1次, not 0/12', async () => {
    clock.set('2026-12-24T09:05:00+08:00'); // a week before December's deadline
    const before = t.fake.messages().length;
    expect((await t.bot.patrols.sweep(clock.now())).reminders).toBeGreaterThan(0);
    await t.settle();
    const reminders = t.fake
      .messages()
      .slice(before)
      .map((m) => text(m.content))
      .filter((c) => c.includes('尚未巡河'));
    expect(reminders.length).toBeGreaterThan(0);
    for (const card of reminders) {
      expect(card).toMatch(/本年已巡河0\/[12]次/);
      expect(card).not.toMatch(/本年已巡河\d+\/(12|4|24)次/);
    }
  });
});
