import { addDays, compareLocalDates, type LocalDate } from './zoned.js';

/**
 * A day as people write it in a chat: 2026年12月31日, 2026-12-31, 12月31日, 明年3月31日,
 * 12月底, 年底, 15日内. A day without a year is this year's; when that day has already
 * passed, the writer is asked for the year (“11月30日已过，请写明年份”) instead of the bot
 * moving it to next year on its own: a deadline that is silently a year later than meant is
 * worse than a question. Only 明年 in the words makes next year certain. Pure.
 */

export type DateWord =
  | { at: number; written: string; date: LocalDate }
  /** What the writer must fix, in words for them. */
  | { at: number; written: string; problem: string };

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function valid(date: LocalDate): boolean {
  return date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= lastDayOfMonth(date.year, date.month);
}

const YEAR_WORDS: Record<string, number> = { 今年: 0, 本年: 0, 明年: 1, 次年: 1 };

/** Every day named in the text, in the order written, each a date or what is wrong with it. */
export function readDateWords(text: string, today: LocalDate): DateWord[] {
  const words: DateWord[] = [];
  const judge = (at: number, written: string, date: LocalDate, yearGiven: boolean) => {
    if (!valid(date)) words.push({ at, written, problem: `${written}不是有效日期` });
    else if (compareLocalDates(date, today) < 0)
      words.push({ at, written, problem: yearGiven ? `${written}已过，请重新填写` : `${written}已过，请写明年份` });
    else words.push({ at, written, date });
  };
  for (const m of text.matchAll(/(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/g)) {
    judge(m.index, m[0].trim(), { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, true);
  }
  for (const m of text.matchAll(/(?:(今年|本年|明年|次年)|(?<![\d年/.-]))(\d{1,2})月(\d{1,2})日/g)) {
    const year = today.year + (m[1] ? (YEAR_WORDS[m[1]] ?? 0) : 0);
    judge(m.index, m[0], { year, month: Number(m[2]), day: Number(m[3]) }, !!m[1]);
  }
  for (const m of text.matchAll(/(?:(今年|本年|明年|次年)|(?<![\d年/.-]))(\d{1,2})月(底|末)/g)) {
    const year = today.year + (m[1] ? (YEAR_WORDS[m[1]] ?? 0) : 0);
    const month = Number(m[2]);
    if (month < 1 || month > 12) words.push({ at: m.index, written: m[0], problem: `${m[0]}不是有效日期` });
    else judge(m.index, m[0], { year, month, day: lastDayOfMonth(year, month) }, !!m[1]);
  }
  for (const m of text.matchAll(/(明年|次年)?(?:年底|年末|年内)/g)) {
    words.push({ at: m.index, written: m[0], date: { year: today.year + (m[1] ? 1 : 0), month: 12, day: 31 } });
  }
  for (const m of text.matchAll(/(\d{1,3})\s*(?:日|天)内/g))
    words.push({ at: m.index, written: m[0], date: addDays(today, Number(m[1])) });
  return words.sort((a, b) => a.at - b.at);
}

/** The first day written in the text: its date, what is wrong with it, or nothing when none is written. */
export function firstDateWord(text: string, today: LocalDate): { date?: LocalDate; problem?: string } {
  const first = readDateWords(text, today)[0];
  if (!first) return {};
  return 'date' in first ? { date: first.date } : { problem: first.problem };
}
