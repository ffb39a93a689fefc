import type { HistoryFacts, IssueAction, IssueSnapshot, IssueState } from './lifecycle.js';

/**
 * A problem (问题, `issue`) as the district tracks it: what and where, who found it and how,
 * and its place in the lifecycle. Its readable number (金口河〔2026〕第0042号) is what people
 * type in commands and replies.
 */

export const ISSUE_CATEGORIES = [
  '水体',
  '河面',
  '河岸',
  '排污口',
  '涉水活动',
  '水工建筑物',
  '河长公示牌',
  '其他',
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];

export type Urgency = 'normal' | 'expedited' | 'urgent';
export const URGENCY_NAMES: Record<Urgency, string> = { normal: '一般', expedited: '加急', urgent: '紧急' };

/** Where a problem came from (seed art. 4–9, 15). */
export type IssueSourceKind = 'patrol' | 'inspection' | 'decision' | 'task' | 'clue' | 'office' | 'daily';
export const SOURCE_NAMES: Record<IssueSourceKind, string> = {
  patrol: '巡河发现',
  inspection: '督查发现',
  decision: '会议议定事项',
  task: '四张清单任务',
  clue: '明查暗访线索',
  office: '河长办登记',
  // Registered by a liaison unit or chief on a water body that is not theirs: neither a clue of
  // its 明查暗访 nor a finding of its chief's patrol.
  daily: '日常发现',
};

export interface IssueSource {
  kind: IssueSourceKind;
  /** The record it came from (a patrol's key, a meeting decision's id), when there is one. */
  ref?: string;
}

export interface ProgressNote {
  at: Date;
  by: string;
  note: string;
  photos: string[];
}

/** One line of a problem's history: who, when, from which state to which, and why. */
export interface IssueHistoryLine {
  at: Date;
  by: string;
  action: IssueAction['type'] | 'reported';
  from: IssueState;
  to: IssueState;
  note: string | null;
  photos: string[];
  /** What the step said at the time (unit, deadlines); null or absent on lines stored before facts were kept. */
  facts?: HistoryFacts | null;
}

export interface Issue extends IssueSnapshot {
  id: string;
  year: number;
  seq: number;
  /** The readable number, fixed when it was registered (金口河〔2026〕第0042号). */
  number: string;
  waterBodyId?: string;
  /** The township where the problem is, when known. */
  townshipId?: string;
  place: string;
  description: string;
  category: IssueCategory;
  urgency: Urgency;
  /** `<message id>/<image key>` of photos sent with it or in its card's thread. */
  photos: string[];
  source: IssueSource;
  /** Person ids. */
  foundBy: string;
  foundAt: Date;
  reportedBy: string;
  /** The chief who cares about it: the water body's district chief, else its township chief. */
  chiefId?: string;
  /** The latest progress notes, newest last (the full trail is in the history). */
  progress: ProgressNote[];
  closedAt?: Date;
  createdAt: Date;
  /** Every change, oldest first. */
  history: IssueHistoryLine[];
  /** Where copies of its card were sent (outbox keys), to update them all on a change. */
  cardKeys: string[];
}

/** 金口河区 → 金口河: the district's name without its administrative suffix. */
export function numberPrefix(district: string, configured?: string): string {
  if (configured) return configured;
  return district.length > 2 ? district.replace(/(自治县|自治区|区|县|市)$/, '') : district;
}

export const shortNumber = (seq: number): string => String(seq).padStart(4, '0');

/** 金口河〔2026〕第0042号 */
export function issueNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}〔${year}〕第${shortNumber(seq)}号`;
}

/**
 * What people type to name a problem: `0042`, `42`, `第42号`, `2026-0042`, `JKH-2026-0042`,
 * `〔2026〕42` or the full number. The year is absent when they give only the sequence.
 */
export function parseIssueRef(text: string): { year?: number; seq: number } | undefined {
  const t = text.trim().replace(/\s+/g, '');
  const withYear = /(?:〔|\[|［|\(|（|^|[A-Za-z]+-)((?:19|20)\d{2})(?:〕|\]|］|\)|）|-|年)第?(\d{1,6})号?$/.exec(t);
  if (withYear) return { year: Number(withYear[1]), seq: Number(withYear[2]) };
  const bare = /^(?:No\.?|#|第)?(\d{1,6})号?$/i.exec(t);
  if (bare && Number(bare[1]) > 0) return { seq: Number(bare[1]) };
  return undefined;
}
