import type { IssueSettings } from '../issues/supervision.js';
import type { MeetingSettings } from '../meetings/meeting-settings.js';
import type { PatrolObligation } from '../patrols/obligation.js';

/**
 * The organisation directory: people, units and water bodies, each with a stable `id` that
 * the district chooses (e.g. `dadu-jinkouhe`), so re-importing an edited roster updates
 * records in place and keeps patrols and problems attached to them.
 */

export type UnitKind = 'generalChiefOffice' | 'riverChiefOffice' | 'liaisonUnit' | 'department' | 'township';

export interface Person {
  id: string;
  name: string;
  /** Feishu open_id, given directly or resolved from mobile / email. */
  openId?: string;
  mobile?: string;
  email?: string;
}

export interface Unit {
  id: string;
  name: string;
  kind: UnitKind;
  /** Person ids. */
  members: string[];
  /** The unit's group chat (oc_…), where its cards go. */
  chatId?: string;
  /** 负责人 (person id): approves an office meeting's minutes; may initiate 约谈. */
  head?: string;
}

export interface WaterBody {
  id: string;
  name: string;
  kind: 'river' | 'lake';
  /** 区级河湖长; absent for water bodies led only at township level. */
  districtChief?: string;
  /** 乡级河湖长 per township id. */
  townshipChiefs: Record<string, string>;
  /** 村级河湖长 per village name. */
  villageChiefs: Record<string, string>;
  /** 联络员单位 (unit id); required when there is a district chief (art. 6). */
  liaisonUnit?: string;
  /** Township unit ids the water body crosses. */
  townships: string[];
  crossBoundary: boolean;
  /** Neighbouring districts sharing a cross-boundary water body (art. 10). */
  neighbours: string[];
  chatId?: string;
}

export interface DutySettings {
  /** Township and village duties follow provincial rules (art. 22): configurable. */
  townshipChief: PatrolObligation;
  villageChief: PatrolObligation;
}

export interface Directory {
  district: string;
  /** 区级总河长 (person id). */
  generalChief: string;
  people: Person[];
  units: Unit[];
  waterBodies: WaterBody[];
  duties: DutySettings;
  /** Where patrol reminders go: the water body's group chat (default) or a direct message. */
  reminderDelivery: 'groupChat' | 'direct';
  /** Public holidays and make-up working days (调休), `YYYY-MM-DD`; reminders go out on working days. */
  calendar: { holidays: string[]; makeUpWorkdays: string[] };
  reminders: ReminderSettings;
  /** How problems are numbered and supervised (督办). */
  issues: IssueSettings;
  /** Meeting, approval and document reminders; document number prefixes. */
  meetings: MeetingSettings;
  /** 启用日期 as the file sets it (`2026-12-02`); see goLiveDay. */
  goLiveOn?: string;
  /** When the first directory was imported, recorded by the store: the go-live day when the file sets none. */
  firstImportedAt?: Date;
}

/** When patrol reminders go out; defaults in DEFAULT_REMINDER_SETTINGS. */
export interface ReminderSettings {
  /** Local hour (0–23). */
  hour: number;
  /** Days before the deadline for monthly duties, e.g. [7, 2]. */
  monthDaysBefore: number[];
  /** Days before the deadline for quarterly duties, e.g. [20, 5]. */
  quarterDaysBefore: number[];
  /** Days before a district river chief's monthly deadline that the liaison unit is asked for 明查暗访. */
  liaisonDaysBefore: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  hour: 9,
  monthDaysBefore: [7, 2],
  quarterDaysBefore: [20, 5],
  liaisonDaysBefore: 10,
};

/** 区总河长办公室 and 区河长制办公室, the two offices the mechanism runs through. */
export function isOffice(unit: Unit): boolean {
  return unit.kind === 'generalChiefOffice' || unit.kind === 'riverChiefOffice';
}

/** Whether the person works in either office. */
export function inOffices(directory: Directory, personId: string): boolean {
  return directory.units.some((u) => isOffice(u) && u.members.includes(personId));
}

/** Townships and departments (liaison units are departments too): what problems are assigned to and the assessment ranks. */
export function isAccountable(unit: Unit): boolean {
  return unit.kind === 'township' || unit.kind === 'department' || unit.kind === 'liaisonUnit';
}

/** A person's name as people see it; the id when the directory no longer has them. */
export function personName(directory: Directory, id: string | null | undefined): string {
  return directory.people.find((p) => p.id === id)?.name ?? id ?? '';
}

/** A unit's name as people see it; the id when the directory no longer has it. */
export function unitName(directory: Directory, id: string | null | undefined): string {
  return directory.units.find((u) => u.id === id)?.name ?? id ?? '';
}

/** One thing wrong with a directory, located in the source (YAML path or sheet and row). */
export interface DirectoryProblem {
  where: string;
  message: string;
}

/** Cross-reference checks that a schema alone cannot make. Messages are for office staff. */
export function checkDirectory(
  directory: Directory,
  locate: (path: Array<string | number>) => string,
): DirectoryProblem[] {
  const problems: DirectoryProblem[] = [];
  const add = (path: Array<string | number>, message: string) => problems.push({ where: locate(path), message });

  const people = new Map<string, number>();
  directory.people.forEach((p, i) => {
    if (people.has(p.id)) add(['people', i, 'id'], `人员编号“${p.id}”重复`);
    else people.set(p.id, i);
    if (!p.openId && !p.mobile && !p.email)
      add(['people', i], `人员“${p.name}”缺少飞书 open_id、手机号或邮箱，无法联系`);
  });
  const units = new Map<string, { index: number; kind: UnitKind }>();
  directory.units.forEach((u, i) => {
    if (units.has(u.id)) add(['units', i, 'id'], `单位编号“${u.id}”重复`);
    else units.set(u.id, { index: i, kind: u.kind });
    if (u.head && !people.has(u.head)) add(['units', i, 'head'], `单位“${u.name}”的负责人“${u.head}”不在人员名单中`);
    u.members.forEach((m, j) => {
      if (!people.has(m)) add(['units', i, 'members', j], `单位“${u.name}”的成员“${m}”不在人员名单中`);
    });
  });
  for (const kind of ['generalChiefOffice', 'riverChiefOffice'] as const) {
    if (directory.units.filter((u) => u.kind === kind).length !== 1) {
      add(['units'], `须有且仅有一个${kind === 'generalChiefOffice' ? '区总河长办公室' : '区河长制办公室'}`);
    }
  }
  if (!people.has(directory.generalChief)) add(['generalChief'], `区级总河长“${directory.generalChief}”不在人员名单中`);

  const waterIds = new Set<string>();
  directory.waterBodies.forEach((w, i) => {
    if (waterIds.has(w.id)) add(['waterBodies', i, 'id'], `河湖编号“${w.id}”重复`);
    waterIds.add(w.id);
    const person = (path: Array<string | number>, id: string, role: string) => {
      if (!people.has(id)) add(['waterBodies', i, ...path], `${w.name}的${role}“${id}”不在人员名单中`);
    };
    if (w.districtChief) {
      person(['districtChief'], w.districtChief, '区级河湖长');
      if (!w.liaisonUnit) add(['waterBodies', i, 'liaisonUnit'], `${w.name}设有区级河湖长，须指定联络员单位`);
    }
    if (!w.districtChief && Object.keys(w.townshipChiefs).length === 0) {
      add(['waterBodies', i], `${w.name}没有任何河湖长`);
    }
    if (w.liaisonUnit) {
      const unit = units.get(w.liaisonUnit);
      if (!unit) add(['waterBodies', i, 'liaisonUnit'], `${w.name}的联络员单位“${w.liaisonUnit}”不在单位名单中`);
    }
    w.townships.forEach((t, j) => {
      const unit = units.get(t);
      if (unit?.kind !== 'township') add(['waterBodies', i, 'townships', j], `${w.name}流经的乡镇“${t}”不在乡镇名单中`);
    });
    for (const [township, chief] of Object.entries(w.townshipChiefs)) {
      if (!w.townships.includes(township))
        add(['waterBodies', i, 'townshipChiefs', township], `${w.name}未流经“${township}”，不能设乡级河湖长`);
      person(['townshipChiefs', township], chief, '乡级河湖长');
    }
    for (const [village, chief] of Object.entries(w.villageChiefs))
      person(['villageChiefs', village], chief, '村级河湖长');
    if (w.crossBoundary && w.neighbours.length === 0)
      add(['waterBodies', i, 'neighbours'], `${w.name}为跨界河湖，须列出相邻区县`);
  });
  return problems;
}

/** One patrol duty: a chief, the water body (none for the general chief), and how often. */
export interface ChiefDuty {
  personId: string;
  role: 'generalChief' | 'riverChief' | 'townshipChief' | 'villageChief';
  waterBodyId?: string;
  obligation: PatrolObligation;
}

/** Every patrol duty the directory implies, from the seed (art. 4, 6) and the settings (art. 22). */
export function chiefDuties(
  directory: Directory,
  seed: { generalChief: PatrolObligation; riverChief: PatrolObligation },
): ChiefDuty[] {
  const duties: ChiefDuty[] = [
    { personId: directory.generalChief, role: 'generalChief', obligation: seed.generalChief },
  ];
  for (const w of directory.waterBodies) {
    if (w.districtChief)
      duties.push({ personId: w.districtChief, role: 'riverChief', waterBodyId: w.id, obligation: seed.riverChief });
    for (const chief of Object.values(w.townshipChiefs)) {
      duties.push({
        personId: chief,
        role: 'townshipChief',
        waterBodyId: w.id,
        obligation: directory.duties.townshipChief,
      });
    }
    for (const chief of Object.values(w.villageChiefs)) {
      duties.push({
        personId: chief,
        role: 'villageChief',
        waterBodyId: w.id,
        obligation: directory.duties.villageChief,
      });
    }
  }
  return duties;
}
