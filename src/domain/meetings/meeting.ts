import type { Directory } from '../directory/directory.js';
import type { OfficialDocument } from '../documents/document.js';

/**
 * Meetings of the mechanism (seed art. 5, 7, 8, 10, 16, 18) and who does what for each:
 * who organises it, who drafts its minutes (会议纪要), who approves them (审定) and which unit
 * assigns and tracks its decisions (分办督办、跟踪落实). Minutes are always published in the
 * name of 区总河长办公室. Pure: the directory in, roles out.
 */

export type MeetingKind =
  | 'generalChiefMeeting'
  | 'patrolSiteMeeting'
  | 'basinMeeting'
  | 'jointMeeting'
  | 'officeMeeting'
  | 'directorsMeeting';

export const MEETING_KIND_NAMES: Record<MeetingKind, string> = {
  generalChiefMeeting: '总河长会议',
  patrolSiteMeeting: '巡河现场会议',
  basinMeeting: '流域专题会议',
  jointMeeting: '联席会议',
  officeMeeting: '区河长制办公室会议',
  directorsMeeting: '区总河长办公室主任会议',
};

export const MEETING_KINDS = Object.keys(MEETING_KIND_NAMES) as MeetingKind[];

export type MeetingState = 'scheduled' | 'cancelled';

/**
 * Whether a meeting is still to come (即将召开): scheduled, not yet started, and nothing of
 * its minutes written. Minutes that exist mean the meeting has been held, whatever the clock
 * or a mistyped start says.
 */
export function isUpcoming(
  meeting: Pick<Meeting, 'state' | 'startsAt'>,
  minutes: Pick<OfficialDocument, 'state' | 'items'> | undefined,
  now: Date,
): boolean {
  if (meeting.state !== 'scheduled' || meeting.startsAt.getTime() <= now.getTime()) return false;
  return !minutes || (minutes.state === 'drafting' && minutes.items.length === 0);
}

export interface Meeting {
  id: string;
  kind: MeetingKind;
  title: string;
  waterBodyId?: string;
  startsAt: Date;
  place: string;
  /** Person ids invited. */
  participants: string[];
  /** For a 联席会议: the party that convenes it this time (our district or a neighbour). */
  convener?: string;
  organiserUnit: string;
  /** The minutes document, created with the meeting. */
  minutesId: string;
  state: MeetingState;
  version: number;
  createdBy: string;
  createdAt: Date;
}

/** Who organises a meeting, drafts and approves its minutes, and tracks its decisions. */
export interface MeetingRoles {
  organiserUnit: string;
  drafterUnit: string;
  /** The chief (or office head) who approves the minutes and hears of each decision's closing. */
  approverId: string;
  /** Assigns and tracks the decisions; recorded as their supervisor. */
  trackerUnit: string;
}

/** Kinds that belong to one water body. */
export function needsWaterBody(kind: MeetingKind): boolean {
  return kind === 'patrolSiteMeeting' || kind === 'basinMeeting' || kind === 'jointMeeting';
}

/** The roles for a meeting of this kind on this water body, or why it cannot be held. */
export function meetingRoles(
  directory: Directory,
  kind: MeetingKind,
  waterBodyId: string | undefined,
): MeetingRoles | { refusal: string } {
  const office = directory.units.find((u) => u.kind === 'riverChiefOffice');
  const generalOffice = directory.units.find((u) => u.kind === 'generalChiefOffice');
  if (!office || !generalOffice) return { refusal: '组织名录缺少区总河长办公室或区河长制办公室。' };
  const water = directory.waterBodies.find((w) => w.id === waterBodyId);
  if (needsWaterBody(kind) && !water) return { refusal: `${MEETING_KIND_NAMES[kind]}须选择河湖。` };
  switch (kind) {
    // Art. 5: the General Chief Office runs it, drafts the minutes and tracks the decisions.
    case 'generalChiefMeeting':
      return {
        organiserUnit: generalOffice.id,
        drafterUnit: generalOffice.id,
        approverId: directory.generalChief,
        trackerUnit: generalOffice.id,
      };
    // Art. 8: the chief's liaison unit organises, drafts and tracks; the chief approves.
    case 'patrolSiteMeeting':
    case 'basinMeeting':
      if (!water?.districtChief || !water.liaisonUnit)
        return { refusal: `${water?.name ?? ''}没有区级河湖长及联络员单位，不能召开${MEETING_KIND_NAMES[kind]}。` };
      return {
        organiserUnit: water.liaisonUnit,
        drafterUnit: water.liaisonUnit,
        approverId: water.districtChief,
        trackerUnit: water.liaisonUnit,
      };
    // Art. 10: the River Chief Office convenes in its turn; the water body's chief approves.
    case 'jointMeeting':
      if (!water?.crossBoundary) return { refusal: `${water?.name ?? ''}不是跨界河湖，联席会议只用于跨界河湖。` };
      return {
        organiserUnit: office.id,
        drafterUnit: office.id,
        approverId: water.districtChief ?? directory.generalChief,
        trackerUnit: office.id,
      };
    case 'officeMeeting':
      return {
        organiserUnit: office.id,
        drafterUnit: office.id,
        approverId: office.head ?? directory.generalChief,
        trackerUnit: office.id,
      };
    case 'directorsMeeting':
      return {
        organiserUnit: generalOffice.id,
        drafterUnit: generalOffice.id,
        approverId: generalOffice.head ?? directory.generalChief,
        trackerUnit: generalOffice.id,
      };
  }
}

/** Who may schedule a meeting: members of its organising unit and of the River Chief Office. */
export function mayScheduleMeeting(directory: Directory, personId: string, roles: MeetingRoles): boolean {
  return directory.units.some(
    (u) => (u.id === roles.organiserUnit || u.kind === 'riverChiefOffice') && u.members.includes(personId),
  );
}

/** The parties of a cross-boundary cooperation agreement, in convening order: this district first, then the neighbours as listed. */
export function jointParties(directory: Directory, waterBodyId: string): string[] {
  const water = directory.waterBodies.find((w) => w.id === waterBodyId);
  return water?.crossBoundary ? [directory.district, ...water.neighbours] : [];
}

/** Whose turn it is to convene the next 联席会议 (art. 10): the party after the last convener. */
export function nextConvener(parties: string[], lastConvener: string | undefined): string | undefined {
  if (parties.length === 0) return undefined;
  const last = lastConvener === undefined ? -1 : parties.indexOf(lastConvener);
  return parties[(last + 1) % parties.length];
}
