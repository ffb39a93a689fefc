import type { ChiefDuty } from '../directory/directory.js';
import { countsAfterGoLive } from '../directory/go-live.js';
import { type Period, type PeriodKind, periodContaining, previousPeriod } from '../time/period.js';
import type { LocalDate } from '../time/zoned.js';
import { countIn, type PatrolCounts } from './patrol-counts.js';

/** How long after a period ends the office digest keeps listing its unmet duties. */
export const OVERDUE_DIGEST_DAYS = 7;

export interface OverdueDuty {
  duty: ChiefDuty;
  /** The period that ended without enough patrols. */
  period: Period;
  done: number;
}

/**
 * Duties whose most recent period ended unmet, for periods that ended within the digest
 * window. The chief is told once; the office digest lists them on working days in the window.
 */
export function overdueDuties(
  states: Iterable<{ duty: ChiefDuty; patrolTimes: PatrolCounts }>,
  now: Date,
  timeZone: string,
  goLive?: LocalDate,
): OverdueDuty[] {
  const ended = new Map<PeriodKind, Period | undefined>();
  const endedPeriod = (kind: PeriodKind) => {
    if (!ended.has(kind)) {
      const previous = previousPeriod(periodContaining(kind, now, timeZone), timeZone);
      const recent = now.getTime() - previous.end.getTime() <= OVERDUE_DIGEST_DAYS * 86_400_000;
      // A period that ended before the district went live (启用日期) is nobody's to answer for.
      ended.set(kind, recent && countsAfterGoLive(previous, goLive) ? previous : undefined);
    }
    return ended.get(kind);
  };
  const out: OverdueDuty[] = [];
  for (const { duty, patrolTimes } of states) {
    const period = endedPeriod(duty.obligation.period);
    if (!period) continue;
    const done = countIn(patrolTimes, period);
    if (done < duty.obligation.times) out.push({ duty, period, done });
  }
  return out;
}
