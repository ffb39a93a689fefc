import { firstDateWord } from '../time/date-words.js';
import type { LocalDate } from '../time/zoned.js';

/**
 * Reads a decision or task the way people write it in a chat:
 * “议定：由永和镇负责，12月31日前完成滨河路段清淤” → text, unit 永和镇, deadline 12-31.
 * The unit is any unit whose name (or name without its leading 区) appears in the text; the
 * deadline is the first date written (see readDateWords): a day without a year that has
 * passed is not moved to next year but reported to the writer. Whatever is missing the bot
 * asks for. Pure.
 */

export interface ParsedItemLine {
  text: string;
  unitId?: string;
  deadline?: LocalDate;
  /** The date written cannot be the deadline (“11月30日已过，请写明年份”): the writer must fix it. */
  deadlineProblem?: string;
}

const PREFIX = /^\s*(?:议定事项|议定|确定事项|任务)\s*[:：]\s*/;

/** The text after 议定：, or undefined when the line does not start with it. */
export function decisionLineText(line: string): string | undefined {
  return PREFIX.test(line) ? line.replace(PREFIX, '').trim() : undefined;
}

/** The unit named in the text: the earliest mention, the longest name at one place. */
export function findUnit(text: string, units: Array<{ id: string; name: string }>): string | undefined {
  let best: { at: number; length: number; id: string } | undefined;
  for (const unit of units) {
    const names = [
      unit.name,
      unit.name.startsWith('区') && unit.name.length > 2 ? unit.name.slice(1) : undefined,
    ].filter((n): n is string => !!n);
    for (const name of names) {
      const at = text.indexOf(name);
      if (at < 0) continue;
      if (!best || at < best.at || (at === best.at && name.length > best.length))
        best = { at, length: name.length, id: unit.id };
    }
  }
  return best?.id;
}

export function parseItemLine(
  line: string,
  units: Array<{ id: string; name: string }>,
  today: LocalDate,
): ParsedItemLine {
  const text = (decisionLineText(line) ?? line).trim();
  const { date, problem } = firstDateWord(text, today);
  return { text, unitId: findUnit(text, units), deadline: date, ...(problem ? { deadlineProblem: problem } : {}) };
}
