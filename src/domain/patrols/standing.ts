import { contains, type Period } from '../time/period.js';

/** A recorded (not withdrawn) patrol, as a duty's standing in a period needs it. */
export interface CountedPatrol {
  id: string;
  patrolledAt: Date;
  /** Who entered it (person id). */
  recordedBy: string;
  version: number;
}

/** Where a duty stands in one period: how many patrols count, whether that fulfils it, and the latest. */
export interface PeriodStanding<P extends CountedPatrol = CountedPatrol> {
  count: number;
  required: number;
  done: boolean;
  /** The latest patrol dated in the period, the one a card shows. */
  latest?: P;
}

/**
 * The one computation of a duty's standing in a period, from the duty's recorded patrols:
 * the reminder card, /巡河 and the duty list all ask it, so they cannot disagree (a card
 * that said 尚未巡河 after one of two patrols was withdrawn, while /巡河 said done).
 */
export function periodStanding<P extends CountedPatrol>(
  patrols: P[],
  period: Period,
  required: number,
): PeriodStanding<P> {
  const inPeriod = patrols
    .filter((p) => contains(period, p.patrolledAt))
    .sort((a, b) => a.patrolledAt.getTime() - b.patrolledAt.getTime());
  return { count: inPeriod.length, required, done: inPeriod.length >= required, latest: inPeriod.at(-1) };
}
