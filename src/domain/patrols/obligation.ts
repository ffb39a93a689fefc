import { countsAfterGoLive } from '../directory/go-live.js';
import {
  contains,
  PERIODS_PER_YEAR,
  type Period,
  type PeriodKind,
  periodContaining,
  periodsOfYear,
} from '../time/period.js';
import type { LocalDate } from '../time/zoned.js';
import { countIn, type PatrolCounts } from './patrol-counts.js';

/**
 * 巡河频次要求 (patrolObligation): how often a role must patrol each water body it leads.
 * The seed fixes the district levels (art. 4, 6); township and village duties follow the
 * provincial rules (art. 22), which differ by place, so they come from the directory.
 */
export interface PatrolObligation {
  period: PeriodKind;
  /** Patrols required in each period. */
  times: number;
}

export type ChiefRole = 'generalChief' | 'riverChief' | 'townshipChief' | 'villageChief';

/** The levels in order, with the names people use (GLOSSARY). */
export const CHIEF_ROLES: readonly ChiefRole[] = ['generalChief', 'riverChief', 'townshipChief', 'villageChief'];
export const CHIEF_ROLE_NAMES: Readonly<Record<ChiefRole, string>> = {
  generalChief: '区级总河长',
  riverChief: '区级河湖长',
  townshipChief: '乡级河湖长',
  villageChief: '村级河湖长',
};

/** Art. 4: 区级总河长 at least once per quarter; art. 6: 区级河湖长 at least once per month. */
export const SEED_OBLIGATIONS: Readonly<Record<'generalChief' | 'riverChief', PatrolObligation>> = {
  generalChief: { period: 'quarter', times: 1 },
  riverChief: { period: 'month', times: 1 },
};

export interface PeriodFulfilment {
  period: Period;
  done: number;
  required: number;
  fulfilled: boolean;
}

/** How many patrols dated inside the period there are, against the duty. */
export function fulfilmentIn(
  obligation: PatrolObligation,
  period: Period,
  patrolTimes: readonly Date[],
): PeriodFulfilment {
  const done = patrolTimes.filter((t) => contains(period, t)).length;
  return { period, done, required: obligation.times, fulfilled: done >= obligation.times };
}

/** The duty's period containing `now`, with what has been done in it. */
export function currentFulfilment(
  obligation: PatrolObligation,
  now: Date,
  patrolTimes: readonly Date[],
  timeZone: string,
): PeriodFulfilment {
  return fulfilmentIn(obligation, periodContaining(obligation.period, now, timeZone), patrolTimes);
}

/**
 * This year's count against the yearly duty, as shown on cards: 本年已巡河10/12次. Periods
 * that ended before the district went live (启用日期) are neither owed nor counted, so a
 * district starting in December is told 1/1, not 1/12.
 */
export function yearProgress(
  obligation: PatrolObligation,
  now: Date,
  patrolTimes: PatrolCounts,
  timeZone: string,
  goLive?: LocalDate,
): { done: number; target: number } {
  return progressOver(obligation, owedThisYear(obligation.period, now, timeZone, goLive), patrolTimes);
}

/** The duty's periods of the year containing `now` that are owed: not ended before the go-live day. */
export function owedThisYear(kind: PeriodKind, now: Date, timeZone: string, goLive?: LocalDate): Period[] {
  const year = periodContaining('year', now, timeZone);
  return periodsOfYear(kind, year.year, timeZone).filter((p) => countsAfterGoLive(p, goLive));
}

/**
 * yearProgress over owed periods already worked out (owedThisYear): the reminder sweep works
 * them out once per period kind, not once per chief, which at a million chiefs is most of its time.
 */
export function progressOver(
  obligation: PatrolObligation,
  owed: readonly Period[],
  patrolTimes: PatrolCounts,
): { done: number; target: number } {
  return {
    // The duty's periods do not overlap, so the year's count is the sum over the owed ones.
    done: owed.reduce((sum, p) => sum + countIn(patrolTimes, p), 0),
    target: owed.length * obligation.times,
  };
}

/**
 * What a duty owes over a span people ask about (/巡河 上季度, 2026年): a duty whose own
 * period is longer than the span is judged over its own period containing it (a quarter's
 * duty asked about in a month); otherwise the span owes each of the duty's periods inside
 * it. Periods that ended before the district went live owe nothing.
 */
export function owedOver(
  obligation: PatrolObligation,
  span: Period,
  timeZone: string,
  goLive?: LocalDate,
): { over: Period; required: number } {
  if (PERIODS_PER_YEAR[obligation.period] < PERIODS_PER_YEAR[span.kind]) {
    const over = periodContaining(obligation.period, span.start, timeZone);
    return { over, required: countsAfterGoLive(over, goLive) ? obligation.times : 0 };
  }
  const inside = periodsOfYear(obligation.period, span.year, timeZone).filter(
    (p) =>
      p.start.getTime() >= span.start.getTime() &&
      p.end.getTime() <= span.end.getTime() &&
      countsAfterGoLive(p, goLive),
  );
  return { over: span, required: inside.length * obligation.times };
}
