import { type Directory, inOffices } from '../directory/directory.js';
import { isOfficeStaff } from '../issues/involvement.js';
import { allowed, refused, type Transition } from '../transition.js';

/**
 * The approval chains of seed art. 16 and 18: the assessment is reviewed at a 区河长制办公室
 * meeting, passed by the 区总河长办公室主任会议, approved by the 区级总河长 and published as a
 * notice in 区总河长办公室's name; a commendation plan and list (and the incentive plan) go
 * 主任会议 → 区级总河长 → published. A return, with a comment, goes back one step.
 */

export type StepKind = 'officeMeeting' | 'directorsMeeting' | 'generalChief' | 'publish';

export const STEP_NAMES: Record<StepKind, string> = {
  officeMeeting: '区河长制办公室会议审核',
  directorsMeeting: '区总河长办公室主任会议审议',
  generalChief: '区级总河长审定',
  publish: '以区总河长办公室名义通报',
};

/** What the button of each step says. */
export const STEP_VERBS: Record<StepKind, string> = {
  officeMeeting: '审核通过',
  directorsMeeting: '审议通过',
  generalChief: '审定通过',
  publish: '印发通报',
};

export type ApprovalKind = 'assessment' | 'commendation' | 'incentive';
export const APPROVAL_KIND_NAMES: Record<ApprovalKind, string> = {
  assessment: '年度考核结果',
  commendation: '表彰工作方案和表彰名单',
  incentive: '激励方案',
};

export const CHAINS: Record<ApprovalKind, readonly StepKind[]> = {
  assessment: ['officeMeeting', 'directorsMeeting', 'generalChief', 'publish'],
  commendation: ['directorsMeeting', 'generalChief', 'publish'],
  incentive: ['directorsMeeting', 'generalChief', 'publish'],
};

/**
 * Where a record stands: -1 while 区河长制办公室 drafts it, i while it waits at step i, and
 * the chain's length once published.
 */
export type Position = number;
export const DRAFT: Position = -1;

const members = (directory: Directory, kind: 'riverChiefOffice' | 'generalChiefOffice') =>
  directory.units.find((u) => u.kind === kind);

/**
 * Who records a step: a meeting's outcome is recorded by the unit's head (its members when it
 * has none); the general chief approves; either office publishes.
 */
export function stepActors(directory: Directory, step: StepKind): string[] {
  switch (step) {
    case 'officeMeeting': {
      const office = members(directory, 'riverChiefOffice');
      return office?.head ? [office.head] : (office?.members ?? []);
    }
    case 'directorsMeeting': {
      const office = members(directory, 'generalChiefOffice');
      return office?.head ? [office.head] : (office?.members ?? []);
    }
    case 'generalChief':
      return [directory.generalChief];
    case 'publish':
      return [
        ...(members(directory, 'generalChiefOffice')?.members ?? []),
        ...(members(directory, 'riverChiefOffice')?.members ?? []),
      ];
  }
}

/** 区河长制办公室 drafts and submits (art. 16, 18, 19). */
export const mayDraft = (directory: Directory, personId: string): boolean => isOfficeStaff(directory, personId);

/**
 * Who may look at a record before it is published: both offices' staff and everyone who acts
 * on one of its steps. Once published, anyone in the directory may.
 */
export function maySee(directory: Directory, personId: string, kind: ApprovalKind, position: Position): boolean {
  if (position >= CHAINS[kind].length) return true;
  if (inOffices(directory, personId)) return true;
  return CHAINS[kind].some((step) => stepActors(directory, step).includes(personId));
}

export const RETURN_NEEDS_COMMENT = '请写明退回意见。';

export type ChainAction = { type: 'submit' } | { type: 'pass' } | { type: 'return'; comment: string };

/** What a move records: the action, the step acted on (none for a submission), a return's comment. */
export interface ChainStep {
  action: ChainAction['type'];
  step: StepKind | undefined;
  comment: string | undefined;
}

/**
 * The next position, or why the person may not move it. Only a missing comment is theirs to
 * fix; any other refusal is not theirs to do (`forbidden`).
 */
export function chainTransition(
  directory: Directory,
  kind: ApprovalKind,
  position: Position,
  action: ChainAction,
  personId: string,
): Transition<Position, ChainStep> {
  const chain = CHAINS[kind];
  const refuse = (reason: string) => refused(reason, reason !== RETURN_NEEDS_COMMENT);
  const move = (to: Position) =>
    allowed(to, {
      action: action.type,
      step: position >= 0 ? chain[position] : undefined,
      comment: action.type === 'return' ? action.comment.trim() : undefined,
    });
  if (position >= chain.length) return refuse('已印发，不能再更改。');
  if (action.type === 'submit') {
    if (position !== DRAFT) return refuse('已提交审核。');
    if (!mayDraft(directory, personId)) return refuse('由区河长制办公室提交。');
    return move(0);
  }
  if (position === DRAFT) return refuse('尚未提交审核。');
  const step = chain[position] as StepKind;
  if (!stepActors(directory, step).includes(personId)) return refuse(`当前为“${STEP_NAMES[step]}”环节，您不能办理。`);
  if (action.type === 'return') {
    if (step === 'publish') return refuse('已经区级总河长审定，不能退回。');
    if (!action.comment.trim()) return refuse(RETURN_NEEDS_COMMENT);
    return move(position - 1);
  }
  return move(position + 1);
}
