import { type Directory, inOffices, isOffice } from '../directory/directory.js';
import { isOfficeStaff } from '../issues/involvement.js';
import { allowed, refused, type Transition } from '../transition.js';

/**
 * 提示、通报、约谈 (seed art. 20–21): the mechanism's three ways of holding a unit to account.
 * Each is recorded against a unit with its reason and the records behind it, and each is a
 * deduction in that unit's yearly assessment (art. 21, last paragraph).
 */

export type SanctionKind = 'prompt' | 'bulletin' | 'admonition';
export const SANCTION_KINDS: readonly SanctionKind[] = ['prompt', 'bulletin', 'admonition'];
export const SANCTION_NAMES: Record<SanctionKind, string> = { prompt: '提示', bulletin: '通报', admonition: '约谈' };

/** How a record is named to people: 通报 is 通报批评 or 通报表扬. */
export function sanctionName(s: { kind: SanctionKind; praise?: boolean }): string {
  if (s.kind === 'bulletin') return s.praise ? '通报表扬' : '通报批评';
  return SANCTION_NAMES[s.kind];
}

/** 约谈 goes 已安排 → 已约谈 (record, commitments, review date) → 已复核. */
export type AdmonitionStage = 'scheduled' | 'held' | 'reviewed';
export const ADMONITION_STAGE_NAMES: Record<AdmonitionStage, string> = {
  scheduled: '已安排',
  held: '已约谈，待复核',
  reviewed: '已复核',
};

export type ReviewOutcome = 'fulfilled' | 'unfulfilled';
export const REVIEW_OUTCOME_NAMES: Record<ReviewOutcome, string> = { fulfilled: '已落实', unfulfilled: '未落实' };

/** 移交问题线索: where the case went, when, and who recorded it. */
export interface Referral {
  /** The receiving body, e.g. 区纪委监委. */
  body: string;
  on: Date;
  note: string;
  by: string;
  at: Date;
}

export interface Admonition {
  /** Who called it (区总河长, a 区级河湖长, or an office's head). */
  initiatorId: string;
  /** Who is talked to, as the office writes it (e.g. 永和镇镇长). */
  interviewee: string;
  startsAt: Date;
  place: string;
  /** People asked to attend, besides the initiator and the unit. */
  participants: string[];
  stage: AdmonitionStage;
  record?: string;
  commitments?: string;
  /** The day the office checks the commitments were kept (复核). */
  reviewOn?: Date;
  heldAt?: Date;
  review?: { outcome: ReviewOutcome; note: string; by: string; at: Date };
  referral?: Referral;
}

export interface Sanction {
  id: string;
  kind: SanctionKind;
  unitId: string;
  reason: string;
  /** Problems it is about (their keys). */
  issueIds: string[];
  issuedBy: string;
  issuedAt: Date;
  /** A 通报 of praise (通报表扬): a bonus in the assessment, not a deduction. */
  praise?: boolean;
  /** A confirmed supervision suggestion it came from, if any. */
  noticeKey?: string;
  admonition?: Admonition;
  version: number;
}

/** 区总河长办公室 or 区河长制办公室 staff may issue 提示 and 通报 (art. 20). */
export function mayIssueNotice(directory: Directory, personId: string): boolean {
  return inOffices(directory, personId);
}

/** 区总河长, 区级河湖长, and the two offices' heads may call a 约谈 (art. 21). */
export function mayInitiateAdmonition(directory: Directory, personId: string): boolean {
  if (directory.generalChief === personId) return true;
  if (directory.waterBodies.some((w) => w.districtChief === personId)) return true;
  return directory.units.some((u) => isOffice(u) && u.head === personId);
}

/** 区河长制办公室 organises, records and reviews every 约谈, and refers cases on (art. 21). */
export function mayOrganiseAdmonition(directory: Directory, personId: string): boolean {
  return isOfficeStaff(directory, personId);
}

/** Who may be named as the initiator: everyone allowed to call one, in the directory's order. */
export function admonitionInitiators(directory: Directory): string[] {
  return directory.people.map((p) => p.id).filter((id) => mayInitiateAdmonition(directory, id));
}

export type AdmonitionAction =
  | { type: 'record'; record: string; commitments: string; reviewOn: Date }
  | { type: 'review'; outcome: ReviewOutcome; note: string }
  | { type: 'refer'; body: string; on: Date; note: string };

/** What a step of a 约谈 records besides the 约谈 itself: which step, by whom, when. */
export interface AdmonitionStep {
  step: AdmonitionAction['type'];
  by: string;
  at: Date;
}

/**
 * The next state of a 约谈, or why not: the talk is recorded once it has started, with a
 * review date after it; the review follows the record; a referral needs the talk held and is
 * recorded once. Every refusal is about the order of the steps, the person's to wait for or fix.
 */
export function admonitionTransition(
  current: Admonition,
  action: AdmonitionAction,
  by: string,
  now: Date,
): Transition<Admonition, AdmonitionStep> {
  const entry: AdmonitionStep = { step: action.type, by, at: now };
  const refuse = (reason: string) => refused(reason, false);
  switch (action.type) {
    case 'record':
      if (current.stage !== 'scheduled') return refuse('约谈情况已记录。');
      if (now.getTime() < current.startsAt.getTime()) return refuse('约谈尚未开始，开始后再记录约谈情况。');
      if (action.reviewOn.getTime() <= now.getTime()) return refuse('复核日期应在今天之后。');
      return allowed(
        {
          ...current,
          stage: 'held',
          record: action.record,
          commitments: action.commitments,
          reviewOn: action.reviewOn,
          heldAt: now,
        },
        entry,
      );
    case 'review':
      if (current.stage === 'scheduled') return refuse('请先记录约谈情况，再复核。');
      if (current.stage === 'reviewed') return refuse('该约谈已复核。');
      return allowed(
        { ...current, stage: 'reviewed', review: { outcome: action.outcome, note: action.note, by, at: now } },
        entry,
      );
    case 'refer':
      if (current.stage === 'scheduled') return refuse('约谈后方可移交问题线索。');
      if (current.referral) return refuse('问题线索已移交。');
      return allowed(
        { ...current, referral: { body: action.body, on: action.on, note: action.note, by, at: now } },
        entry,
      );
  }
}

/** The 复核 reminder is due from the reminder hour of the review day until the review is recorded. */
export function reviewDue(admonition: Admonition, now: Date): boolean {
  return admonition.stage === 'held' && !!admonition.reviewOn && admonition.reviewOn.getTime() <= now.getTime();
}
