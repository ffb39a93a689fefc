import type { Directory } from '../directory/directory.js';
import { allowed, refused, type Transition } from '../transition.js';

/**
 * Documents that are drafted, approved (审定) by a chief and published (印发) in the name of
 * 区总河长办公室: meeting minutes (art. 5, 8), 一河（湖）一策 plans and the yearly 四张清单
 * (art. 12), and 健康评价报告 (art. 13). One state machine serves them all:
 * 起草中 → 待审定 → 已印发, with 退回修改 (and its comment) going back to 起草中.
 * Pure: no Feishu, no database.
 */

export type DocumentKind = 'minutes' | 'waterBodyPlan' | 'fourLists' | 'healthReport';

export const DOCUMENT_KIND_NAMES: Record<DocumentKind, string> = {
  minutes: '会议纪要',
  waterBodyPlan: '一河（湖）一策管理保护方案',
  fourLists: '四张清单',
  healthReport: '健康评价报告',
};

export type DocumentState = 'drafting' | 'pendingApproval' | 'published';

export const DOCUMENT_STATE_NAMES: Record<DocumentState, string> = {
  drafting: '起草中',
  pendingApproval: '待审定',
  published: '已印发',
};

/** The four lists of art. 12; only tasks (任务) become tracked items. */
export type ListName = 'goals' | 'problems' | 'tasks' | 'responsibilities';
export const LIST_NAMES: Record<ListName, string> = {
  goals: '目标清单',
  problems: '问题清单',
  tasks: '任务清单',
  responsibilities: '责任清单',
};

/**
 * A numbered item: a meeting's decision (议定事项) or a line of the four lists. Tracked items
 * (decisions, tasks) need a responsible unit and a deadline before the draft can go for approval.
 */
export interface DocumentItem {
  n: number;
  text: string;
  list?: ListName;
  unitId?: string;
  /** The deadline as an instant (start of the day after the deadline day). */
  deadline?: Date;
  /** The problem it became on publication. */
  issueId?: string;
}

export interface DocumentAttachment {
  messageId: string;
  fileKey: string;
  name: string;
  by: string;
  at: Date;
}

export type DocumentAction =
  | { type: 'edit' }
  | { type: 'submit' }
  | { type: 'approve' }
  | { type: 'return'; comment: string };

export interface DocumentHistoryLine {
  at: Date;
  by: string;
  action: DocumentAction['type'] | 'created';
  from: DocumentState;
  to: DocumentState;
  note: string | null;
}

export interface OfficialDocument {
  id: string;
  kind: DocumentKind;
  title: string;
  year: number;
  waterBodyId?: string;
  meetingId?: string;
  state: DocumentState;
  version: number;
  drafterUnit: string;
  approverId: string;
  trackerUnit: string;
  items: DocumentItem[];
  /** Free text: a plan's or report's body, or the four lists' untracked lists. */
  body: string;
  attachments: DocumentAttachment[];
  /** 金总河长办纪〔2026〕3号, once published. */
  number?: string;
  submittedAt?: Date;
  publishedAt?: Date;
  lastReturn?: { by: string; at: Date; comment: string };
  createdBy: string;
  createdAt: Date;
  history: DocumentHistoryLine[];
  cardKeys: string[];
}

export interface DocumentActor {
  personId: string;
  /** A member of the drafting unit (or of 区河长制办公室, which drafts with every unit). */
  isDrafter: boolean;
  isApprover: boolean;
}

export function documentActor(
  directory: Directory,
  personId: string,
  doc: Pick<OfficialDocument, 'drafterUnit' | 'approverId'>,
): DocumentActor {
  const drafter = directory.units.find((u) => u.id === doc.drafterUnit);
  return { personId, isDrafter: drafter?.members.includes(personId) ?? false, isApprover: doc.approverId === personId };
}

/** Items that must be tracked after publication. */
export function trackedItems(doc: Pick<OfficialDocument, 'kind' | 'items'>): DocumentItem[] {
  return doc.items.filter((i) => doc.kind === 'minutes' || i.list === 'tasks');
}

/** Why a draft cannot go for approval yet, or undefined when it can. */
export function draftProblem(
  doc: Pick<OfficialDocument, 'kind' | 'items' | 'body' | 'attachments'>,
  at: Date,
): string | undefined {
  if (doc.kind === 'minutes' && doc.items.length === 0) return '纪要还没有议定事项，请先记录议定事项。';
  if (doc.kind === 'fourLists' && trackedItems(doc).length === 0) return '四张清单还没有任务清单，请填写任务。';
  if (
    (doc.kind === 'waterBodyPlan' || doc.kind === 'healthReport') &&
    !doc.body.trim() &&
    doc.attachments.length === 0
  ) {
    return '请先填写正文或上传文件。';
  }
  const incomplete = trackedItems(doc).filter((i) => !i.unitId || !i.deadline);
  if (incomplete.length > 0) return `第${incomplete.map((i) => i.n).join('、')}项还缺少责任单位或完成时限，请先补全。`;
  const past = trackedItems(doc).filter((i) => i.deadline && i.deadline.getTime() <= at.getTime());
  if (past.length > 0) return `第${past.map((i) => i.n).join('、')}项的完成时限已过，请修改。`;
  return undefined;
}

export type DocumentTransition = Transition<Pick<OfficialDocument, 'state' | 'version'>, DocumentHistoryLine>;

const refuse = (reason: string, forbidden = false) => refused(reason, forbidden);

/**
 * One step of the approval flow, for one person. Editing (items, body, files) and submitting
 * belong to the drafting unit while drafting; approving and returning to the approver while
 * the draft waits. Every step bumps the version, so an outdated card is refused.
 *
 * Minutes record what a meeting decided, so nothing is written, approved or published before
 * the meeting starts (`meeting`, with its start as people read it). A meeting has no end
 * time in the records, so its start is the earliest moment the minutes can be true.
 */
export function documentTransition(
  doc: OfficialDocument,
  action: DocumentAction,
  actor: DocumentActor,
  at: Date,
  meeting?: { startsAt: Date; when: string },
): DocumentTransition {
  const name = DOCUMENT_KIND_NAMES[doc.kind];
  if (doc.kind === 'minutes' && meeting && at.getTime() < meeting.startsAt.getTime()) {
    return refuse(`会议定于${meeting.when}召开，会议开始后才能记录议定事项、提交和审定纪要。`);
  }
  const step = (to: DocumentState, note: string | null = null): DocumentTransition =>
    allowed(
      { state: to, version: doc.version + 1 },
      { at, by: actor.personId, action: action.type, from: doc.state, to, note },
    );
  switch (action.type) {
    case 'edit':
    case 'submit': {
      if (!actor.isDrafter) return refuse(`只有起草单位可以修改和提交${name}。`, true);
      if (doc.state === 'pendingApproval') return refuse(`${name}已提交审定，如需修改，请审定人退回。`);
      if (doc.state === 'published') return refuse(`${name}已印发，不能再修改。`);
      if (action.type === 'edit') return step('drafting');
      const problem = draftProblem(doc, at);
      return problem ? refuse(problem) : step('pendingApproval');
    }
    case 'approve':
    case 'return': {
      if (!actor.isApprover) return refuse(`只有审定人可以审定${name}。`, true);
      if (doc.state !== 'pendingApproval')
        return refuse(doc.state === 'published' ? `${name}已印发。` : `${name}尚未提交审定。`);
      if (action.type === 'approve') {
        // A deadline may have passed while the draft waited: the approver sends it back.
        const problem = draftProblem(doc, at);
        return problem ? refuse(`${problem.replace('，请修改。', '')}，请退回修改。`) : step('published');
      }
      if (!action.comment.trim()) return refuse('请写明修改意见。');
      return step('drafting', action.comment.trim());
    }
  }
}

/** A published document's number: 金总河长办纪〔2026〕3号. */
export function documentNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}〔${year}〕${seq}号`;
}

/** Minutes and other documents are numbered in separate series. */
export type NumberSeries = 'minutes' | 'documents';

export function seriesOf(kind: DocumentKind): NumberSeries {
  return kind === 'minutes' ? 'minutes' : 'documents';
}

/**
 * The prefix of a series: configured, or the district's first character + 总河长办 + 纪/发
 * (金口河区 → 金总河长办纪, 金总河长办发), the way the district's documents are numbered.
 */
export function numberPrefixFor(
  series: NumberSeries,
  district: string,
  configured: { minutesPrefix?: string; documentPrefix?: string },
): string {
  const fixed = series === 'minutes' ? configured.minutesPrefix : configured.documentPrefix;
  return fixed ?? `${district.slice(0, 1)}总河长办${series === 'minutes' ? '纪' : '发'}`;
}
