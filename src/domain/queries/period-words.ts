import { type Period, periodContaining, periodOf, previousPeriod } from '../time/period.js';
import { toLocal } from '../time/zoned.js';

/**
 * A period as people name it: 本月、上月、本季度、上季度、今年、去年、2026年、2026、三月、
 * 3月、2026年3月、2026-03、第二季度、二季度、Q2、2026年第一季度. Chinese or Arabic numerals.
 * Pure; `now` and the zone decide what 本月 means.
 */

const DIGITS: Record<string, number> = {
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

/** 3, 三, 十二, 二十 → numbers; undefined for anything else. */
export function numberWord(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^[零一二两三四五六七八九十]+$/.test(text)) return undefined;
  if (text.length === 1) return DIGITS[text];
  const [tens, ones] = text.split('十');
  if (text.includes('十')) return (tens ? (DIGITS[tens] ?? 0) : 1) * 10 + (ones ? (DIGITS[ones] ?? 0) : 0);
  return undefined;
}

export function parsePeriodWord(word: string, now: Date, timeZone: string): Period | undefined {
  const text = word.trim().replace(/\s+/g, '');
  const today = toLocal(now, timeZone);
  const thisMonth = periodContaining('month', now, timeZone);
  const thisQuarter = periodContaining('quarter', now, timeZone);
  const thisYear = periodContaining('year', now, timeZone);
  const fixed: Record<string, Period> = {
    本月: thisMonth,
    这个月: thisMonth,
    上月: previousPeriod(thisMonth, timeZone),
    上个月: previousPeriod(thisMonth, timeZone),
    本季度: thisQuarter,
    本季: thisQuarter,
    上季度: previousPeriod(thisQuarter, timeZone),
    今年: thisYear,
    本年: thisYear,
    本年度: thisYear,
    去年: previousPeriod(thisYear, timeZone),
  };
  if (fixed[text]) return fixed[text];
  const year = (y: string | undefined) => (y ? Number(y) : today.year);
  const month = /^(?:(\d{4})(?:年|-|\/|\.))?([0-9]{1,2}|[一二三四五六七八九十]{1,3})月?(?:份)?$/.exec(text);
  if (month && (text.includes('月') || /^\d{4}[-/.]\d{1,2}$/.test(text))) {
    const m = numberWord(month[2] ?? '');
    if (m !== undefined && m >= 1 && m <= 12) return periodOf('month', year(month[1]), m, timeZone);
  }
  const quarter = /^(?:(\d{4})年?)?(?:第)?([1-4一二三四])季度?$|^(?:(\d{4}))?-?Q([1-4])$/i.exec(text);
  if (quarter && (text.includes('季') || /q/i.test(text))) {
    const q = numberWord(quarter[2] ?? quarter[4] ?? '');
    if (q !== undefined && q >= 1 && q <= 4) return periodOf('quarter', year(quarter[1] ?? quarter[3]), q, timeZone);
  }
  const wholeYear = /^(\d{4})年?(?:度)?$/.exec(text);
  if (wholeYear) return periodOf('year', Number(wholeYear[1]), 1, timeZone);
  return undefined;
}
