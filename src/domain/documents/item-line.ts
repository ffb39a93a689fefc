import { addDays, compareLocalDates, type LocalDate } from '../time/zoned.js';

/**
 * Reads a decision or task the way people write it in a chat:
 * “议定：由永和镇负责，12月31日前完成滨河路段清淤” → text, unit 永和镇, deadline 12-31.
 * The unit is any unit whose name (or name without its leading 区) appears in the text; the
 * deadline is a date such as 2026-12-31, 2026年12月31日, 12月31日, 12月底 or 年底. Whatever is
 * missing the bot asks for. Pure.
 */

export interface ParsedItemLine {
  text: string;
  unitId?: string;
  deadline?: LocalDate;
}

const PREFIX = /^\s*(?:议定事项|议定|确定事项|任务)\s*[:：]\s*/;

/** The text after 议定：, or undefined when the line does not start with it. */
export function decisionLineText(line: string): string | undefined {
  return PREFIX.test(line) ? line.replace(PREFIX, '').trim() : undefined;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function valid(date: LocalDate): boolean {
  return date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= lastDayOfMonth(date.year, date.month);
}

/** The first date written in the text, on or after today; a day without a year is the next one to come. */
export function findDeadline(text: string, today: LocalDate): LocalDate | undefined {
  const upcoming = (month: number, day: number | 'end'): LocalDate => {
    for (const year of [today.year, today.year + 1]) {
      const date = { year, month, day: day === 'end' ? lastDayOfMonth(year, month) : day };
      if (compareLocalDates(date, today) >= 0) return date;
    }
    return { year: today.year + 1, month, day: day === 'end' ? lastDayOfMonth(today.year + 1, month) : day };
  };
  const candidates: Array<{ at: number; date: LocalDate }> = [];
  for (const m of text.matchAll(/(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/g)) {
    candidates.push({ at: m.index, date: { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } });
  }
  for (const m of text.matchAll(/(?<![\d年/.-])(\d{1,2})月(\d{1,2})日/g)) {
    candidates.push({ at: m.index, date: upcoming(Number(m[1]), Number(m[2])) });
  }
  for (const m of text.matchAll(/(?<![\d年/.-])(\d{1,2})月(?:底|末)/g)) {
    candidates.push({ at: m.index, date: upcoming(Number(m[1]), 'end') });
  }
  for (const m of text.matchAll(/年底|年末|年内/g)) candidates.push({ at: m.index, date: { year: today.year, month: 12, day: 31 } });
  for (const m of text.matchAll(/(\d{1,3})\s*(?:日|天)内/g)) candidates.push({ at: m.index, date: addDays(today, Number(m[1])) });
  return candidates
    .sort((a, b) => a.at - b.at)
    .map((c) => c.date)
    .find((d) => valid(d) && compareLocalDates(d, today) >= 0);
}

/** The unit named in the text: the earliest mention, the longest name at one place. */
export function findUnit(text: string, units: Array<{ id: string; name: string }>): string | undefined {
  let best: { at: number; length: number; id: string } | undefined;
  for (const unit of units) {
    const names = [unit.name, unit.name.startsWith('区') && unit.name.length > 2 ? unit.name.slice(1) : undefined].filter((n): n is string => !!n);
    for (const name of names) {
      const at = text.indexOf(name);
      if (at < 0) continue;
      if (!best || at < best.at || (at === best.at && name.length > best.length)) best = { at, length: name.length, id: unit.id };
    }
  }
  return best?.id;
}

export function parseItemLine(line: string, units: Array<{ id: string; name: string }>, today: LocalDate): ParsedItemLine {
  const text = (decisionLineText(line) ?? line).trim();
  return { text, unitId: findUnit(text, units), deadline: findDeadline(text, today) };
}
