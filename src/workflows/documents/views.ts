import type { DocumentKind, DocumentState } from '../../domain/documents/document.js';
import type { MeetingKind } from '../../domain/meetings/meeting.js';
import type { CardJson } from '../ports.js';

/** A document's card as plain data: a meeting's minutes, a plan, the four lists, a health report. */
export interface DocumentView {
  id: string;
  version: number;
  kind: DocumentKind;
  state: DocumentState;
  title: string;
  number?: string;
  meeting?: {
    id: string;
    /** The meeting's own title (`大渡河（金口河段）巡河现场会议`); the document's is its minutes'. */
    title: string;
    kindName: string;
    when: string;
    place: string;
    participants: string;
    convener?: string;
    organiserName: string;
    cancelled: boolean;
    upcoming: boolean;
  };
  waterBodyName?: string;
  drafterName: string;
  approverName: string;
  items: Array<{
    n: number;
    text: string;
    unitName?: string;
    deadline?: string;
    missing: boolean;
    listName?: string;
    issueNumber?: string;
  }>;
  /** The untracked lists or the body. */
  sections: Array<{ heading: string; lines: string[] }>;
  attachments: string[];
  lastReturn?: { byName: string; on: string; comment: string };
  publishedOn?: string;
  /** Which page of items the card shows (1 when absent); the .docx has the whole document. */
  page?: number;
  /**
   * What the people this copy goes to may do: members of the drafting unit draft (items,
   * 提交审定, 取消会议), the approver approves. The buttons shown are a courtesy; every tap is
   * checked. A meeting's minutes are a meeting notice to everyone else until published.
   */
  drafts: boolean;
  approves: boolean;
}

export interface ItemFormView {
  id: string;
  version: number;
  title: string;
  itemLabel: string;
  n?: number;
  text: string;
  unit?: string;
  deadline: string;
  unitOptions: Array<{ value: string; label: string }>;
}

export interface ScheduleFormView {
  kind?: MeetingKind;
  kindOptions: Array<{ value: string; label: string }>;
  waterOptions: Array<{ value: string; label: string }>;
  unitOptions: Array<{ value: string; label: string }>;
  /** open_ids of the directory's people, for the person picker. */
  personOpenIds: string[];
  today: string;
}

export interface DraftFormView {
  kind: DocumentKind;
  waterBodyId: string;
  waterBodyName: string;
  year: number;
}

export interface DocumentCardPresenter {
  document(view: DocumentView): CardJson;
  /** 会议通知: a meeting's card for its attendees and the water body's chat, until its minutes are published. */
  meetingNotice(view: DocumentView & { meeting: NonNullable<DocumentView['meeting']> }): CardJson;
  itemForm(view: ItemFormView): CardJson;
  scheduleForm(view: ScheduleFormView): CardJson;
  draftForm(view: DraftFormView): CardJson;
}
