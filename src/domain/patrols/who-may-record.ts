import type { Directory } from '../directory/directory.js';

/**
 * Who may record a patrol for a chief: the chief, or (art. 6, 区级河湖长巡河调研由联络员单位
 * 负责承办) a member of the water body's liaison unit; for the general chief (art. 4, 区总河长
 * 办公室承办巡河调研) a member of the General Chief Office. Nobody shares a chief's login.
 */
export type RecordingRight = { may: true; onBehalf: boolean } | { may: false; reason: string };

export function mayRecordPatrol(
  directory: Pick<Directory, 'generalChief' | 'units' | 'waterBodies'>,
  actorId: string,
  duty: { chiefId: string; waterBodyId?: string },
): RecordingRight {
  if (actorId === duty.chiefId) return { may: true, onBehalf: false };
  const memberOf = (unitId: string | undefined) => directory.units.some((u) => u.id === unitId && u.members.includes(actorId));
  if (duty.waterBodyId === undefined) {
    const office = directory.units.find((u) => u.kind === 'generalChiefOffice');
    if (duty.chiefId === directory.generalChief && memberOf(office?.id)) return { may: true, onBehalf: true };
  } else {
    const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
    if (water && water.districtChief === duty.chiefId && memberOf(water.liaisonUnit)) return { may: true, onBehalf: true };
  }
  return { may: false, reason: '只有河湖长本人或其联络员单位人员可以记录这次巡河。' };
}
