import { addDays, fromLocal, type LocalDate, toLocal } from './zoned.js';

/**
 * Calendar periods in which duties are counted: a patrol "at least once a quarter" means one
 * patrol dated inside each calendar quarter (Q1 = January–March) in the district's zone.
 */
export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  year: number;
  /** Month 1–12, quarter 1–4, or 1 for a year. */
  index: number;
  /** First day, local. */
  firstDay: LocalDate;
  /** Last day, local: the deadline people are told. */
  lastDay: LocalDate;
  /** Instant the period starts (inclusive) and ends (exclusive), in the zone. */
  start: Date;
  end: Date;
  /** Stable key: `2026`, `2026-Q1`, `2026-03`. */
  key: string;
}

export const PERIODS_PER_YEAR: Record<PeriodKind, number> = { month: 12, quarter: 4, year: 1 };

const MONTHS_PER_PERIOD: Record<PeriodKind, number> = { month: 1, quarter: 3, year: 12 };

function build(kind: PeriodKind, year: number, index: number, timeZone: string): Period {
  const firstMonth = (index - 1) * MONTHS_PER_PERIOD[kind] + 1;
  const firstDay: LocalDate = { year, month: firstMonth, day: 1 };
  const nextFirst =
    firstMonth + MONTHS_PER_PERIOD[kind] > 12
      ? { year: year + 1, month: 1, day: 1 }
      : { year, month: firstMonth + MONTHS_PER_PERIOD[kind], day: 1 };
  const key =
    kind === 'year'
      ? `${year}`
      : kind === 'quarter'
        ? `${year}-Q${index}`
        : `${year}-${String(index).padStart(2, '0')}`;
  return {
    kind,
    year,
    index,
    firstDay,
    lastDay: addDays(nextFirst, -1),
    start: fromLocal(firstDay, timeZone),
    end: fromLocal(nextFirst, timeZone),
    key,
  };
}

/** The period of this kind that contains the instant, in the zone. */
export function periodContaining(kind: PeriodKind, instant: Date, timeZone: string): Period {
  const local = toLocal(instant, timeZone);
  const index = kind === 'year' ? 1 : Math.floor((local.month - 1) / MONTHS_PER_PERIOD[kind]) + 1;
  return build(kind, local.year, index, timeZone);
}

export function periodOf(kind: PeriodKind, year: number, index: number, timeZone: string): Period {
  return build(kind, year, index, timeZone);
}

/** The periods of this kind in a calendar year, in order. */
export function periodsOfYear(kind: PeriodKind, year: number, timeZone: string): Period[] {
  return Array.from({ length: PERIODS_PER_YEAR[kind] }, (_, i) => build(kind, year, i + 1, timeZone));
}

export function previousPeriod(period: Period, timeZone: string): Period {
  if (period.index > 1) return build(period.kind, period.year, period.index - 1, timeZone);
  return build(period.kind, period.year - 1, PERIODS_PER_YEAR[period.kind], timeZone);
}

export function contains(period: Period, instant: Date): boolean {
  const t = instant.getTime();
  return t >= period.start.getTime() && t < period.end.getTime();
}

/** Reads back a key made by this module (`2026`, `2026-Q4`, `2026-11`). */
export function parsePeriodKey(key: string, timeZone: string): Period | undefined {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  if (quarter) return build('quarter', Number(quarter[1]), Number(quarter[2]), timeZone);
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (month) return build('month', Number(month[1]), Number(month[2]), timeZone);
  const year = /^(\d{4})$/.exec(key);
  if (year) return build('year', Number(year[1]), 1, timeZone);
  return undefined;
}

/** How a period is named to people: 本月 / 本季度 / 本年 when current, else 2026年11月 etc. */
export function periodLabel(period: Period, current: boolean): string {
  if (current) return period.kind === 'month' ? '本月' : period.kind === 'quarter' ? '本季度' : '本年';
  if (period.kind === 'month') return `${period.year}年${period.index}月`;
  if (period.kind === 'quarter') return `${period.year}年第${'一二三四'[period.index - 1] ?? period.index}季度`;
  return `${period.year}年`;
}
