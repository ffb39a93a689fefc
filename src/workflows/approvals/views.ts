import type { OfferedButton } from '../intents.js';
import type { Markdown } from '../markdown.js';
import type { CardJson } from '../ports.js';

/** A record on its approval chain, as its card shows it. */
export interface ApprovalView {
  id: string;
  version: number;
  kindName: string;
  title: string;
  /** The document number once published, else where it stands. */
  subtitle: string;
  /** What is under review, in card markdown; a plain string is shown exactly as written. */
  body: Markdown | string;
  steps: Array<{ name: string; state: 'done' | 'current' | 'todo'; note?: string }>;
  lastReturn?: { byName: string; on: string; stepName: string; comment: string };
  /** 提交审核 while 区河长制办公室 drafts it. */
  canSubmit: boolean;
  /** The current step's pass button (审核通过, 审定通过, 印发通报), if waiting at a step. */
  passLabel?: string;
  canReturn: boolean;
  published: boolean;
  /** Further buttons the kind offers (导出考核明细). */
  extras: OfferedButton[];
  footer: string;
}

export interface ApprovalCardPresenter {
  approval(view: ApprovalView): CardJson;
}
