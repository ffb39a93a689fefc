import { allowed, refused, type Transition } from '../transition.js';

/**
 * The problem (问题, `issue`) lifecycle as one state machine (seed art. 4, 5, 8, 14, 15):
 * 登记 → 已交办 → 整改中 → 待核查 → 已销号, with 退回整改, 责任退回 and 延期. Each action says who may
 * take it; anyone else is refused and nothing changes. Pure: no Feishu, no database.
 */

export type IssueState = 'reported' | 'assigned' | 'rectifying' | 'pendingVerification' | 'closed' | 'withdrawn';

export const STATE_NAMES: Record<IssueState, string> = {
  reported: '登记',
  assigned: '已交办',
  rectifying: '整改中',
  pendingVerification: '待核查',
  closed: '已销号',
  // Registered only from a patrol record its recorder withdrew, and found not to stand: it was
  // never a problem, so it is neither open nor counted as closed.
  withdrawn: '已撤销',
};

/** Every state, in lifecycle order. */
export const ISSUE_STATES = Object.keys(STATE_NAMES) as IssueState[];

export interface IssueSnapshot {
  state: IssueState;
  /** Optimistic concurrency: every applied action increments it. */
  version: number;
  /** The township or department that must rectify (unit id), once assigned. */
  assigneeUnit?: string;
  /** The liaison unit and competent department that supervise (督促指导, art. 15). */
  supervisorUnits: string[];
  deadline?: Date;
  requirement?: string;
  assignedAt?: Date;
  /** When the current deadline was set (assignment or an approved 延期): supervision counts from it. */
  deadlineSetAt?: Date;
  /** A 延期 request waiting for the office. */
  pendingExtension?: { until: Date; reason: string; by: string };
}

/** How the acting person relates to this issue; computed from the directory by the workflow. */
export interface IssueActor {
  personId: string;
  /** Staff of 区河长制办公室. */
  isOffice: boolean;
  /** A member of the assignee unit. */
  isAssignee: boolean;
  /** A member of a supervising unit (the liaison unit or the competent department). */
  isSupervisor: boolean;
  /** Whoever found or registered it: may add details and photos (as progress notes). */
  isReporter?: boolean;
  /**
   * Entered the patrol this problem was registered from, and that patrol has been withdrawn:
   * decides whether the problem stands (保留) or goes with the patrol (撤销).
   */
  isWithdrawnPatrolRecorder?: boolean;
}

export type IssueAction =
  | { type: 'assign'; unit: string; deadline: Date; requirement: string; supervisors: string[] }
  | { type: 'accept' }
  | { type: 'returnResponsibility'; reason: string }
  | { type: 'progress'; note: string }
  | { type: 'requestClose'; evidence: string }
  | { type: 'verifyPass'; note?: string }
  | { type: 'verifyFail'; reason: string }
  | { type: 'requestExtension'; until: Date; reason: string }
  | { type: 'approveExtension' }
  | { type: 'rejectExtension'; reason: string }
  | { type: 'withdraw'; reason: string }
  | { type: 'confirm'; note: string };

/**
 * What a history line must say on its own, written when the step is taken: a line is a fact of
 * its time and is never rendered from the problem's current fields (which a 责任退回 clears and
 * a new 交办 overwrites). The reason is the entry's `note`.
 */
export interface HistoryFacts {
  /** The unit it was assigned to (交办), that returned it (责任退回) or that asked for a 延期. */
  unitId?: string;
  /** That unit's name at the time; the workflow fills it from the directory. */
  unitName?: string;
  /** The deadline this step set (交办, 同意延期). */
  deadline?: Date;
  /** The date a 延期 asked for (申请, 同意 and 不同意 all keep it). */
  requestedUntil?: Date;
  /** The deadline a 延期 would replace. */
  previousDeadline?: Date;
}

export interface HistoryEntry {
  at: Date;
  by: string;
  action: IssueAction['type'];
  from: IssueState;
  to: IssueState;
  note: string | null;
  /** Absent on lines stored before facts were kept, and on steps that need none. */
  facts?: HistoryFacts;
}

/** A refusal is `forbidden` when this person may not take the action at all, whatever the state. */
export type TransitionResult = Transition<IssueSnapshot, HistoryEntry>;

export interface LifecyclePolicy {
  /** 责任退回 is allowed this long after assignment (default 24 h). */
  returnWindowMs: number;
}

export const DEFAULT_LIFECYCLE_POLICY: LifecyclePolicy = { returnWindowMs: 24 * 60 * 60_000 };

/** Which states each action starts from. */
const FROM: Record<IssueAction['type'], readonly IssueState[]> = {
  assign: ['reported'],
  accept: ['assigned'],
  returnResponsibility: ['assigned'],
  // A note may come while the assignee has not yet accepted, or while the fix is being checked.
  progress: ['reported', 'assigned', 'rectifying', 'pendingVerification'],
  requestClose: ['rectifying'],
  verifyPass: ['pendingVerification'],
  verifyFail: ['pendingVerification'],
  requestExtension: ['assigned', 'rectifying'],
  approveExtension: ['assigned', 'rectifying'],
  rejectExtension: ['assigned', 'rectifying'],
  withdraw: ['reported', 'assigned', 'rectifying', 'pendingVerification'],
  confirm: ['reported', 'assigned', 'rectifying', 'pendingVerification'],
};

/** Who may take each action, and the words of the refusal. */
function permitted(type: IssueAction['type'], actor: IssueActor): string | undefined {
  switch (type) {
    case 'assign':
    case 'approveExtension':
    case 'rejectExtension':
      return actor.isOffice ? undefined : '只有区河长制办公室可以进行此操作。';
    case 'accept':
    case 'returnResponsibility':
    case 'requestClose':
    case 'requestExtension':
      return actor.isAssignee ? undefined : '只有承办单位可以进行此操作。';
    case 'progress':
      return actor.isAssignee || actor.isSupervisor || actor.isOffice || actor.isReporter
        ? undefined
        : '您不是该问题的承办或督办单位，进展未记录。';
    case 'verifyPass':
    case 'verifyFail':
      return actor.isOffice || actor.isSupervisor ? undefined : '只有区河长制办公室或联络员单位可以核查销号。';
    case 'withdraw':
      return actor.isWithdrawnPatrolRecorder ? undefined : '只有所撤回巡河记录的记录人可以撤销由其登记的问题。';
    case 'confirm':
      return actor.isWithdrawnPatrolRecorder ? undefined : '只有所撤回巡河记录的记录人可以确认保留由其登记的问题。';
  }
}

/** Facts as stored: an absent value is left out rather than kept as undefined. */
const withoutUndefined = (facts: HistoryFacts): HistoryFacts =>
  Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined));

const blank = (text: string | undefined) => !text || text.trim().length === 0;

/** Applies one action if it is allowed in this state by this person; otherwise says why not. */
export function transition(
  issue: IssueSnapshot,
  action: IssueAction,
  actor: IssueActor,
  now: Date,
  policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY,
): TransitionResult {
  const refuse = (reason: string) => refused(reason, permitted(action.type, actor) !== undefined);
  if (!FROM[action.type].includes(issue.state))
    return refuse(`该问题当前为“${STATE_NAMES[issue.state]}”，不能进行此操作。`);
  const denied = permitted(action.type, actor);
  if (denied) return refuse(denied);

  // A progress note changes no state, so cards showing this version stay valid.
  let next: IssueSnapshot = { ...issue, version: action.type === 'progress' ? issue.version : issue.version + 1 };
  let note: string | null = null;
  let facts: HistoryFacts | undefined;
  switch (action.type) {
    case 'assign':
      if (blank(action.unit)) return refuse('请选择承办单位。');
      if (action.deadline.getTime() <= now.getTime()) return refuse('整改期限须晚于现在。');
      if (blank(action.requirement)) return refuse('请填写整改要求。');
      next = {
        ...next,
        state: 'assigned',
        assigneeUnit: action.unit,
        supervisorUnits: [...new Set(action.supervisors)],
        deadline: action.deadline,
        requirement: action.requirement.trim(),
        assignedAt: now,
        deadlineSetAt: now,
        pendingExtension: undefined,
      };
      note = action.requirement.trim();
      facts = { unitId: action.unit, deadline: action.deadline };
      break;
    case 'accept':
      next = { ...next, state: 'rectifying' };
      break;
    case 'returnResponsibility':
      if (blank(action.reason)) return refuse('请说明退回理由。');
      if (issue.assignedAt && now.getTime() - issue.assignedAt.getTime() > policy.returnWindowMs) {
        return refuse(
          `已超过交办后 ${Math.round(policy.returnWindowMs / 3_600_000)} 小时的责任退回时限，请联系区河长制办公室。`,
        );
      }
      next = {
        ...next,
        state: 'reported',
        assigneeUnit: undefined,
        deadline: undefined,
        assignedAt: undefined,
        deadlineSetAt: undefined,
        requirement: undefined,
        pendingExtension: undefined,
      };
      note = action.reason.trim();
      facts = { unitId: issue.assigneeUnit };
      break;
    case 'progress':
      if (blank(action.note)) return refuse('请填写进展内容。');
      note = action.note.trim();
      break;
    case 'requestClose':
      if (blank(action.evidence)) return refuse('申请销号须说明整改情况并附佐证。');
      next = { ...next, state: 'pendingVerification' };
      note = action.evidence.trim();
      break;
    case 'verifyPass':
      next = { ...next, state: 'closed', pendingExtension: undefined };
      note = action.note?.trim() || null;
      break;
    case 'verifyFail':
      if (blank(action.reason)) return refuse('请说明退回整改的理由。');
      next = { ...next, state: 'rectifying' };
      note = action.reason.trim();
      break;
    case 'requestExtension':
      if (blank(action.reason)) return refuse('请说明延期理由。');
      if (!issue.deadline || action.until.getTime() <= issue.deadline.getTime())
        return refuse('延期后的期限须晚于原整改期限。');
      next = { ...next, pendingExtension: { until: action.until, reason: action.reason.trim(), by: actor.personId } };
      note = action.reason.trim();
      facts = { unitId: issue.assigneeUnit, requestedUntil: action.until, previousDeadline: issue.deadline };
      break;
    case 'approveExtension':
      if (!issue.pendingExtension) return refuse('没有待审批的延期申请。');
      next = { ...next, deadline: issue.pendingExtension.until, deadlineSetAt: now, pendingExtension: undefined };
      note = issue.pendingExtension.reason;
      facts = {
        unitId: issue.assigneeUnit,
        deadline: issue.pendingExtension.until,
        requestedUntil: issue.pendingExtension.until,
        previousDeadline: issue.deadline,
      };
      break;
    case 'rejectExtension':
      if (!issue.pendingExtension) return refuse('没有待审批的延期申请。');
      if (blank(action.reason)) return refuse('请说明不同意延期的理由。');
      next = { ...next, pendingExtension: undefined };
      note = action.reason.trim();
      facts = {
        unitId: issue.assigneeUnit,
        requestedUntil: issue.pendingExtension.until,
        previousDeadline: issue.deadline,
      };
      break;
    case 'withdraw':
      if (blank(action.reason)) return refuse('请说明撤销理由。');
      next = { ...next, state: 'withdrawn', pendingExtension: undefined };
      note = action.reason.trim();
      facts = { unitId: issue.assigneeUnit };
      break;
    case 'confirm':
      note = action.note.trim() || null;
      break;
  }
  const entry: HistoryEntry = {
    at: now,
    by: actor.personId,
    action: action.type,
    from: issue.state,
    to: next.state,
    note,
    ...(facts && { facts: withoutUndefined(facts) }),
  };
  return allowed(next, entry);
}

/** The actions that make sense in this state, whoever asks: the buttons a shared card shows. */
export function actionsForState(issue: IssueSnapshot): Array<IssueAction['type']> {
  return (Object.keys(FROM) as Array<IssueAction['type']>).filter((type) => {
    if (!FROM[type].includes(issue.state)) return false;
    if ((type === 'approveExtension' || type === 'rejectExtension') && !issue.pendingExtension) return false;
    if (type === 'requestExtension' && issue.pendingExtension) return false;
    // Before assignment, details come as replies in the card's thread, not from a button.
    if (type === 'progress' && issue.state === 'reported') return false;
    // Offered only to the recorder of a withdrawn patrol, on the card that lists its problems.
    if (type === 'withdraw' || type === 'confirm') return false;
    return true;
  });
}

/** The actions that make sense to offer this person now (a card sent to them alone). */
export function availableActions(issue: IssueSnapshot, actor: IssueActor): Array<IssueAction['type']> {
  return actionsForState(issue).filter((type) => permitted(type, actor) === undefined);
}

/** Why this person may not take this action at all, whatever the state; undefined if they may. */
export function refusalFor(type: IssueAction['type'], actor: IssueActor): string | undefined {
  return permitted(type, actor);
}
