import { z } from 'zod';
import type { IssueActionType } from '../../../workflows/issues/views.js';
import { button } from './button.js';

/**
 * The steps a problem card's buttons take (the `t` of `issue.form` and `issue.act`): each one's
 * label and style, whether it opens a form first, and the toast once it is done. A new step on
 * the problem card is one entry here, next to its transition in domain/issues/lifecycle.ts.
 */
export const ISSUE_STEPS = {
  assign: { label: '交办', style: 'primary', form: true, done: '已交办' },
  accept: { label: '接收', style: 'primary', form: false, done: '已接收，请抓紧整改' },
  returnResponsibility: { label: '责任退回', style: 'default', form: true, done: '已退回区河长制办公室' },
  progress: { label: '提交进展', style: 'default', form: true, done: '进展已记录' },
  requestClose: { label: '申请销号', style: 'primary', form: true, done: '已申请销号，等待核查' },
  verifyPass: { label: '核查通过', style: 'primary', form: false, done: '已核查销号，已报告河湖长' },
  verifyFail: { label: '退回整改', style: 'danger', form: true, done: '已退回整改' },
  requestExtension: { label: '申请延期', style: 'default', form: true, done: '延期申请已提交' },
  approveExtension: { label: '同意延期', style: 'primary', form: false, done: '已同意延期' },
  rejectExtension: { label: '不同意延期', style: 'danger', form: true, done: '已答复不同意延期' },
} as const satisfies Partial<
  Record<IssueActionType, { label: string; style: 'primary' | 'default' | 'danger'; form: boolean; done: string }>
>;
export type IssueStep = keyof typeof ISSUE_STEPS;
const STEP_NAMES = Object.keys(ISSUE_STEPS) as [IssueStep, ...IssueStep[]];

const id = z.string().min(1).max(64);
const version = z.number().int().positive();
/** `{ a, id: problem key, v: version the card showed, t: step }` on every step button. */
const step = { id, v: version, t: z.enum(STEP_NAMES) };

/** The buttons of problem cards, the registration form, and the office's 提示/通报 decision. */
export const issueButtons = {
  view: button('issue.view', { id }),
  /** A step that needs a form first: opens it in the tapper's direct chat. */
  form: button('issue.form', step),
  /** A step taken: straight from the card, or the submit of its form. */
  act: button('issue.act', step),
  create: button('issue.create'),
  /** On the list of a withdrawn patrol's problems, to its recorder: `v` is the version the list showed. */
  withdrawFromPatrol: button('issue.withdrawFromPatrol', { id, v: version }),
  keepFromPatrol: button('issue.keepFromPatrol', { id, v: version }),
  decideNotice: button('notice.decide', {
    id: z.string().min(1).max(200),
    k: z.enum(['prompt', 'bulletin', 'dismiss']),
  }),
};
