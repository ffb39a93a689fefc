import { type ChiefDuty, chiefDuties, type Directory, isAccountable, isOffice } from '../directory/directory.js';
import { SEED_OBLIGATIONS } from '../patrols/obligation.js';

/**
 * Who sees what in lists and overviews (/状态, /问题, /会议, /议定 …), in one place:
 * - the offices (区河长制办公室, 区总河长办公室) and 区级总河长 see the whole district;
 * - a chief sees the water bodies they lead, at any level;
 * - a liaison unit sees the water bodies it serves;
 * - a township or department sees the problems assigned to it or that it supervises.
 * Everyone else sees nothing and is told so politely. Pure.
 */
export interface Visibility {
  district: boolean;
  waterBodyIds: ReadonlySet<string>;
  /** Units whose assigned or supervised items the person sees. */
  unitIds: ReadonlySet<string>;
}

export function visibilityOf(directory: Directory, personId: string): Visibility | undefined {
  const units = directory.units.filter((u) => u.members.includes(personId));
  const district = personId === directory.generalChief || units.some(isOffice);
  const liaison = new Set(units.filter((u) => u.kind === 'liaisonUnit').map((u) => u.id));
  const waterBodyIds = new Set(
    directory.waterBodies
      .filter(
        (w) =>
          w.districtChief === personId ||
          Object.values(w.townshipChiefs).includes(personId) ||
          Object.values(w.villageChiefs).includes(personId) ||
          (w.liaisonUnit !== undefined && liaison.has(w.liaisonUnit)),
      )
      .map((w) => w.id),
  );
  const unitIds = new Set(units.filter(isAccountable).map((u) => u.id));
  if (!district && waterBodyIds.size === 0 && unitIds.size === 0) return undefined;
  return { district, waterBodyIds, unitIds };
}

/** Whether an item (a problem, a decision, a meeting) is in view. */
export function sees(
  v: Visibility,
  item: { waterBodyId?: string; units?: readonly string[]; people?: readonly string[] },
  personId?: string,
): boolean {
  if (v.district) return true;
  if (item.waterBodyId !== undefined && v.waterBodyIds.has(item.waterBodyId)) return true;
  if (item.units?.some((u) => v.unitIds.has(u))) return true;
  return personId !== undefined && (item.people?.includes(personId) ?? false);
}

/** The patrol duties in view: all for the district; else on the person's water bodies, and their own. */
export function dutiesInView(directory: Directory, v: Visibility, personId: string): ChiefDuty[] {
  return chiefDuties(directory, SEED_OBLIGATIONS).filter(
    (d) => v.district || d.personId === personId || (d.waterBodyId !== undefined && v.waterBodyIds.has(d.waterBodyId)),
  );
}

/** Who a person is to the mechanism, for offering them the commands they can use. */
export type Audience = 'office' | 'chief' | 'liaison' | 'unit';

export function audiencesOf(directory: Directory, personId: string): Set<Audience> {
  const out = new Set<Audience>();
  for (const u of directory.units.filter((x) => x.members.includes(personId))) {
    if (isOffice(u)) out.add('office');
    else if (u.kind === 'liaisonUnit') out.add('liaison');
    else out.add('unit');
  }
  if (directory.generalChief === personId) out.add('office').add('chief');
  const leads = directory.waterBodies.some(
    (w) =>
      w.districtChief === personId ||
      Object.values(w.townshipChiefs).includes(personId) ||
      Object.values(w.villageChiefs).includes(personId),
  );
  if (leads) out.add('chief');
  return out;
}

export const NOTHING_TO_SEE = '您暂无可查看的河湖或问题。如需了解全区情况，请联系区河长制办公室。';
