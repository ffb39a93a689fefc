import { monthDay } from '../time/format.js';
import type { Period } from '../time/period.js';
import { compareLocalDates, type LocalDate, parseLocalDate, toLocal } from '../time/zoned.js';
import type { Directory } from './directory.js';

/**
 * 启用日期: the day the district began using the bot. Records cannot exist before it, so
 * nothing before it is counted against anyone: a district starting in December is not told
 * that every chief missed November, that every township scores 0, or that the year's four
 * lists are overdue. The directory may set it (`goLiveOn`); otherwise it is the day of the
 * first import, which the store records. Undefined only for a directory imported before the
 * day was recorded: then everything counts, as it always did. Pure.
 */
export function goLiveDay(
  directory: Pick<Directory, 'goLiveOn' | 'firstImportedAt'>,
  timeZone: string,
): LocalDate | undefined {
  const set = directory.goLiveOn ? parseLocalDate(directory.goLiveOn) : undefined;
  if (set) return set;
  return directory.firstImportedAt ? toLocal(directory.firstImportedAt, timeZone) : undefined;
}

/** Whether a duty period counts: it has not ended before the go-live day (the go-live day's own period counts). */
export function countsAfterGoLive(period: Pick<Period, 'lastDay'>, goLive: LocalDate | undefined): boolean {
  return !goLive || compareLocalDates(period.lastDay, goLive) >= 0;
}

/** Whether a yearly deadline (`MM-DD` in a year) is held against the district: it falls on or after the go-live day. */
export function yearlyDeadlineCounts(monthDay: string, year: number, goLive: LocalDate | undefined): boolean {
  if (!goLive) return true;
  const [month, day] = monthDay.split('-').map(Number);
  return compareLocalDates({ year, month: month ?? 1, day: day ?? 1 }, goLive) >= 0;
}

/** `自启用日（12月2日）起` when the go-live day cuts a span that starts on `from`; empty otherwise. */
export function goLiveNote(goLive: LocalDate | undefined, from: LocalDate): string {
  if (!goLive || compareLocalDates(goLive, from) <= 0) return '';
  return `自启用日（${monthDay(goLive)}）起`;
}
