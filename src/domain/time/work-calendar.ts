import { addDays, compareLocalDates, formatLocalDate, type LocalDate, weekday } from './zoned.js';

/**
 * Which days count as working days: Monday to Friday, minus public holidays, plus the
 * weekend days that are worked in exchange (调休). The district keeps both lists in its
 * configuration each year, as the State Council publishes them.
 */
export class WorkCalendar {
  private readonly holidays: Set<string>;
  private readonly makeUpDays: Set<string>;

  constructor(options: { holidays?: Iterable<string>; makeUpWorkdays?: Iterable<string> } = {}) {
    this.holidays = new Set(options.holidays ?? []);
    this.makeUpDays = new Set(options.makeUpWorkdays ?? []);
  }

  isWorkingDay(date: LocalDate): boolean {
    const key = formatLocalDate(date);
    if (this.makeUpDays.has(key)) return true;
    if (this.holidays.has(key)) return false;
    const day = weekday(date);
    return day !== 0 && day !== 6;
  }

  /** The latest working day on or before `date`, not before `notBefore`; undefined if none. */
  workingDayOnOrBefore(date: LocalDate, notBefore: LocalDate): LocalDate | undefined {
    for (let d = date; compareLocalDates(d, notBefore) >= 0; d = addDays(d, -1)) {
      if (this.isWorkingDay(d)) return d;
    }
    return undefined;
  }

  /** The `days`-th working day after `date` (15 working days from a Friday land three weeks on). */
  addWorkingDays(date: LocalDate, days: number): LocalDate {
    let d = date;
    // A year of holidays cannot hold more than a few hundred days: the bound only guards bad data.
    for (let left = days, guard = 0; left > 0 && guard < 3660; guard++) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) left -= 1;
    }
    return d;
  }

  /** The earliest working day on or after `date`, not after `notAfter`; undefined if none. */
  workingDayOnOrAfter(date: LocalDate, notAfter: LocalDate): LocalDate | undefined {
    for (let d = date; compareLocalDates(d, notAfter) <= 0; d = addDays(d, 1)) {
      if (this.isWorkingDay(d)) return d;
    }
    return undefined;
  }
}
