import type { CardJson } from '../ports.js';

/** What the patrol cards show; presenters under feishu/cards turn these into Card JSON. */

export interface PatrolReminderView {
  chiefName: string;
  /** Present when the card goes to a group chat: the chief is @-mentioned. */
  mentionOpenId?: string;
  /** Undefined for the general chief's district-wide duty. */
  waterBodyName?: string;
  periodLabel: string;
  /** `11月30日` */
  deadline: string;
  daysLeft: number;
  yearDone: number;
  yearTarget: number;
  dutyKey: string;
  periodKey: string;
  /** After 已安排: the planned day, `11月28日`. */
  plannedDay?: string;
  /** 重难点问题 the liaison unit keeps for the water body (art. 9). */
  keyProblems: string[];
  /** 本次巡河关注事项 from the liaison unit's 明查暗访 this period (art. 6). */
  focus: string[];
  /** A patrol just entered for another period (补记): `已补记1月15日的巡河（12月2日录入），计入2026年1月。` */
  entryNote?: string;
  /** After the patrol is recorded: the card shows it and its buttons go. */
  recorded?: { dateLabel: string; recordedByName: string; onBehalf: boolean; patrolId: string; version: number };
}

export interface PatrolFormView {
  chiefName: string;
  waterBodyName?: string;
  dutyKey: string;
  periodKey: string;
  /** `2026-11-29`, the date picker's initial value. */
  today: string;
  focus: string[];
  /** Set when correcting a recorded patrol: its id, version and current values. */
  correcting?: { patrolId: string; version: number; observations: string; problems: string; lateReason?: string };
}

/** To the liaison unit before its chief's patrol: do 明查暗访, report clues and requests (art. 6). */
export interface LiaisonRequestView {
  unitName: string;
  chiefName: string;
  waterBodyName: string;
  waterBodyId: string;
  periodKey: string;
  deadline: string;
  /** What was submitted, once it has been. */
  submitted?: { items: string[]; byName: string };
}

export interface DutyListView {
  personName: string;
  duties: Array<{ label: string; status: string; dutyKey: string; periodKey: string; done: boolean }>;
}

export interface PatrolOverdueView {
  chiefName: string;
  waterBodyName?: string;
  /** `2026年11月` */
  periodName: string;
  /** The duty in words: `区级河湖长每月至少巡河1次`. */
  dutyText: string;
  dutyKey: string;
  periodKey: string;
}

export interface OverdueDigestView {
  /** `11月2日` */
  date: string;
  /** One line per duty: `区级河湖长 李某某 · 大渡河（金口河段） · 2026年11月未巡河`. */
  items: string[];
}

export interface PatrolCardPresenter {
  reminder(view: PatrolReminderView): CardJson;
  overdue(view: PatrolOverdueView): CardJson;
  overdueDigest(view: OverdueDigestView): CardJson;
  form(view: PatrolFormView): CardJson;
  dutyList(view: DutyListView): CardJson;
  liaisonRequest(view: LiaisonRequestView): CardJson;
}
