import type { ChiefDuty } from '../../domain/directory/directory.js';
import type { DutyState } from '../../domain/patrols/decide-reminders.js';
import { dutyKey } from '../../domain/patrols/duty-key.js';
import type { PeriodKind } from '../../domain/time/period.js';
import { periodContaining, previousPeriod } from '../../domain/time/period.js';
import { packedCountsOf } from '../../store/figures/patrol-figures.js';
import type { PatrolStore } from '../../store/patrol-store.js';

/**
 * Where every duty stands at `now`, read from the patrol figures (never the patrols): the
 * figures of this year, and of last year while a period that ended then is still being
 * chased (the first days of January), and the plans (已安排) of the current periods. A
 * bounded number of queries however many chiefs: one per year, one per period kind for
 * plans; and a bounded number of documents, as both come in pages of many chiefs each (at
 * most 4,096 a year and 1,024 a period). The states come out lazily, one per duty, so the
 * sweep holds only the packed counts; a duty's counts are found by its hash, with no key
 * made for it.
 */
export async function dutyStates(
  patrols: Pick<PatrolStore, 'packedCounts' | 'plansOfPeriods'>,
  duties: readonly ChiefDuty[],
  now: Date,
  timeZone: string,
): Promise<Iterable<DutyState>> {
  const kinds = [...new Set(duties.map((d) => d.obligation.period))];
  const current = new Map<PeriodKind, ReturnType<typeof periodContaining>>(
    kinds.map((k) => [k, periodContaining(k, now, timeZone)]),
  );
  const years = new Set<number>([periodContaining('year', now, timeZone).year]);
  for (const period of current.values()) years.add(previousPeriod(period, timeZone).year);
  const [counts, plans] = await Promise.all([
    patrols.packedCounts([...years]),
    patrols.plansOfPeriods([...current.values()].map((p) => p.key)),
  ]);
  return {
    *[Symbol.iterator]() {
      for (const duty of duties) {
        const period = current.get(duty.obligation.period);
        yield {
          duty,
          patrolTimes: packedCountsOf(counts, duty),
          // The plan key is made only when some plan exists.
          plannedDay: period && plans.size > 0 ? plans.get(`${dutyKey(duty)}:${period.key}`) : undefined,
        };
      }
    },
  };
}
