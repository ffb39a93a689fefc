import { type ChiefDuty, type Directory, type Person, personName } from '../../domain/directory/directory.js';
import { monthDay } from '../../domain/time/format.js';
import type { Period } from '../../domain/time/period.js';
import { ForbiddenError } from '../../errors.js';
import { requirePerson } from '../require-directory.js';
import type { LiaisonRequestView } from './views.js';

/** A member of the water body's liaison unit, or of the River Chief Office; anyone else is refused. */
export function liaisonActor(directory: Directory, actorOpenId: string, waterBodyId: string): { actor: Person } {
  const actor = requirePerson(directory, actorOpenId);
  const water = directory.waterBodies.find((w) => w.id === waterBodyId);
  const allowed = directory.units.some(
    (u) => (u.id === water?.liaisonUnit || u.kind === 'riverChiefOffice') && u.members.includes(actor.id),
  );
  if (!allowed) throw new ForbiddenError('只有该河湖的联络员单位或区河长制办公室人员可以报送。');
  return { actor };
}

/** The liaison unit's request card for a river chief's duty; undefined when the water body has no liaison unit. */
export function liaisonView(
  directory: Directory,
  duty: ChiefDuty,
  period: Period,
  submitted: { items: string[]; byName: string } | undefined,
): LiaisonRequestView | undefined {
  const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
  const unit = directory.units.find((u) => u.id === water?.liaisonUnit);
  if (!water || !unit) return undefined;
  return {
    unitName: unit.name,
    chiefName: personName(directory, duty.personId),
    waterBodyName: water.name,
    waterBodyId: water.id,
    periodKey: period.key,
    deadline: monthDay(period.lastDay),
    submitted,
  };
}
