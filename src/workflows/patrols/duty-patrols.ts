import type { ChiefDuty } from '../../domain/directory/directory.js';
import type { PatrolFact } from '../../store/patrol-store.js';

/** The patrols that count for a duty. */
export function dutyPatrols(patrols: PatrolFact[], duty: ChiefDuty): PatrolFact[] {
  return patrolsByDuty(patrols)(duty);
}

/**
 * Groups patrols by chief and water body once. The general chief's duty is district-wide;
 * other duties count patrols on their own water body.
 */
function patrolsByDuty(patrols: PatrolFact[]): (duty: ChiefDuty) => PatrolFact[] {
  const byChief = new Map<string, PatrolFact[]>();
  for (const p of patrols) {
    const list = byChief.get(p.chiefId);
    if (list) list.push(p);
    else byChief.set(p.chiefId, [p]);
  }
  return (duty) =>
    (byChief.get(duty.personId) ?? []).filter(
      (p) => duty.role === 'generalChief' || p.waterBodyId === duty.waterBodyId,
    );
}
