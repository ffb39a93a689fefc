import type { Directory, Unit } from '../directory/directory.js';
import { isOfficeStaff } from '../issues/involvement.js';

/**
 * 督查 (seed art. 15): 区河长制办公室 inspects the whole district, a liaison unit the water
 * bodies it serves. What it finds on township chiefs' and units' performance becomes problems
 * assigned to the township for rectification, with the competent department and the liaison
 * unit supervising; how they are rectified feeds the yearly assessment.
 */

/** What art. 15 says an inspection looks at. */
export const FINDING_ASPECTS = ['performance', 'tasks', 'rectification'] as const;
export type FindingAspect = (typeof FINDING_ASPECTS)[number];
export const FINDING_ASPECT_NAMES: Record<FindingAspect, string> = {
  performance: '河湖长及有关单位履职',
  tasks: '工作任务完成',
  rectification: '突出问题整改',
};

export interface InspectionFinding {
  n: number;
  aspect: FindingAspect;
  text: string;
  waterBodyId: string;
  townshipId: string;
  /** 区级行业主管部门 that guides the rectification, if any. */
  departmentId?: string;
  deadline: Date;
  /** The problem the finding became. */
  issueId: string;
  recordedBy: string;
}

export interface Inspection {
  id: string;
  title: string;
  organiserUnit: string;
  /** Water bodies in scope; empty means the whole district. */
  waterBodyIds: string[];
  from: Date;
  /** The inspection's last day (its start instant). */
  to: Date;
  findings: InspectionFinding[];
  /** When the report was sent; findings may still be added and the report sent again. */
  reportedAt?: Date;
  createdBy: string;
  createdAt: Date;
  version: number;
}

/** The unit a person organises inspections for: the office (whole district) or their liaison unit. */
export function inspectingUnit(directory: Directory, personId: string): Unit | undefined {
  if (isOfficeStaff(directory, personId)) return directory.units.find((u) => u.kind === 'riverChiefOffice');
  return directory.units.find((u) => u.kind === 'liaisonUnit' && u.members.includes(personId));
}

/** Water bodies a unit may inspect: all for the office, those it serves for a liaison unit. */
export function inspectableWaters(directory: Directory, unit: Unit): string[] {
  if (unit.kind === 'riverChiefOffice') return directory.waterBodies.map((w) => w.id);
  return directory.waterBodies.filter((w) => w.liaisonUnit === unit.id).map((w) => w.id);
}

/** Whether this person may record findings on this inspection: its organiser unit's members, and the office. */
export function mayRecordFindings(directory: Directory, personId: string, inspection: Inspection): boolean {
  if (isOfficeStaff(directory, personId)) return true;
  return directory.units.some((u) => u.id === inspection.organiserUnit && u.members.includes(personId));
}

export interface FindingInput {
  aspect: FindingAspect;
  text: string;
  waterBodyId: string;
  townshipId: string;
  departmentId?: string;
}

/** Why a finding cannot be recorded as given, or undefined when it can. */
export function checkFinding(directory: Directory, inspection: Inspection, input: FindingInput): string | undefined {
  const water = directory.waterBodies.find((w) => w.id === input.waterBodyId);
  if (!water) return '请选择河湖';
  if (inspection.waterBodyIds.length > 0 && !inspection.waterBodyIds.includes(water.id))
    return `${water.name}不在本次督查范围内`;
  const township = directory.units.find((u) => u.id === input.townshipId && u.kind === 'township');
  if (!township) return '请选择负责整改的乡镇';
  if (!water.townships.includes(township.id)) return `${water.name}不流经${township.name}，请重新选择乡镇`;
  if (input.departmentId) {
    const department = directory.units.find((u) => u.id === input.departmentId);
    if (!department || (department.kind !== 'department' && department.kind !== 'liaisonUnit'))
      return '请选择区级行业主管部门';
  }
  return undefined;
}
