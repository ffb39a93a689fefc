import type { ChiefDuty } from '../../domain/directory/directory.js';
import { CHIEF_ROLES, type PatrolObligation } from '../../domain/patrols/obligation.js';
import type { Period } from '../../domain/time/period.js';
import type { PatrolStore } from '../../store/patrol-store.js';

/** A duty's patrols over a period, against what it requires there. */
export interface DutyStanding {
  duty: ChiefDuty;
  over: Period;
  done: number;
  required: number;
}

/**
 * Each duty's patrols over the period `periodFor` picks for its obligation, counted on the
 * database once per role. Duties come back role by role, in the order given.
 */
export async function dutyStanding(
  patrols: PatrolStore,
  duties: readonly ChiefDuty[],
  periodFor: (obligation: PatrolObligation) => { over: Period; required: number },
  waterBodyIds: string[] | undefined,
): Promise<DutyStanding[]> {
  const out: DutyStanding[] = [];
  for (const role of CHIEF_ROLES) {
    const ofRole = duties.filter((d) => d.role === role);
    const first = ofRole[0];
    if (!first) continue;
    // Every duty of a role has the same obligation (seed art. 4, 6; the directory's settings).
    const { over, required } = periodFor(first.obligation);
    const counts = await patrols.countsByDuty(role, over.kind, over.key, waterBodyIds);
    for (const duty of ofRole)
      out.push({ duty, over, required, done: counts.get(`${duty.personId}|${duty.waterBodyId ?? ''}`) ?? 0 });
  }
  return out;
}
