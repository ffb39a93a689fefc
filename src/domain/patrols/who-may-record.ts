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
  const memberOf = (unitId: string | undefined) =>
    directory.units.some((u) => u.id === unitId && u.members.includes(actorId));
  if (duty.waterBodyId === undefined) {
    const office = directory.units.find((u) => u.kind === 'generalChiefOffice');
    if (duty.chiefId === directory.generalChief && memberOf(office?.id)) return { may: true, onBehalf: true };
  } else {
    const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
    if (water && water.districtChief === duty.chiefId && memberOf(water.liaisonUnit))
      return { may: true, onBehalf: true };
  }
  return { may: false, reason: refusal(directory, duty) };
}

type ChiefRole = 'generalChief' | 'riverChief' | 'townshipChief' | 'villageChief';

/**
 * Who may record a duty's patrol, as the reminder card says it: liaison units only for a
 * district river chief (art. 6), the General Chief Office for the general chief (art. 4);
 * township and village chiefs record their own (art. 22 leaves them to provincial rules).
 */
export function recordersNote(role: ChiefRole): string {
  if (role === 'riverChief') return '本人或联络员单位均可记录；联络员单位代为记录时，记录中会同时注明。';
  if (role === 'generalChief') return '本人或区总河长办公室均可记录；代为记录时，记录中会同时注明。';
  return '请本人记录（联络员单位承办的是区级河湖长的巡河调研，不代为记录乡级、村级河湖长巡河）。';
}

/** The role of a duty from its key (`riverChief:li-hezhang:dadu-jinkouhe`, see duty-key.ts). */
export function roleOfDutyKey(key: string): ChiefRole | undefined {
  const role = key.split(':')[0];
  return role === 'generalChief' || role === 'riverChief' || role === 'townshipChief' || role === 'villageChief'
    ? role
    : undefined;
}

/**
 * Who may record a duty's patrol, in the words of a refusal: `区级河湖长本人或其联络员单位人员`
 * for a district river chief (art. 6), `区级总河长本人或区总河长办公室人员` for the general chief
 * (art. 4), `河湖长本人` for a township or village chief (art. 22).
 */
export function whoMayRecord(
  directory: Pick<Directory, 'waterBodies'>,
  duty: { chiefId: string; waterBodyId?: string },
): string {
  if (duty.waterBodyId === undefined) return '区级总河长本人或区总河长办公室人员';
  const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
  return water?.districtChief === duty.chiefId ? '区级河湖长本人或其联络员单位人员' : '河湖长本人';
}

/** Why a photo or location sent in a patrol card's thread was not attached: only a recorder's are. */
export function attachmentRefusal(
  directory: Pick<Directory, 'waterBodies'>,
  duty: { chiefId: string; waterBodyId?: string },
): string {
  const who = whoMayRecord(directory, duty);
  const own = who === '河湖长本人' ? '（乡级、村级河湖长的巡河由本人记录）' : '';
  return `只有${who}的照片和位置会附到巡河记录中${own}。`;
}

function refusal(
  directory: Pick<Directory, 'generalChief' | 'waterBodies'>,
  duty: { chiefId: string; waterBodyId?: string },
): string {
  const who = whoMayRecord(directory, duty);
  if (who === '河湖长本人')
    return '乡级、村级河湖长的巡河须由本人记录；联络员单位只承办区级河湖长的巡河调研（协调机制第六条）。';
  return `只有${who}可以记录这次巡河。`;
}
