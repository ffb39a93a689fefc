import { type Directory, personName, unitName } from '../../domain/directory/directory.js';
import {
  DOCUMENT_KIND_NAMES,
  documentActor,
  LIST_NAMES,
  type OfficialDocument,
  trackedItems,
} from '../../domain/documents/document.js';
import { isUpcoming, MEETING_KIND_NAMES, type Meeting } from '../../domain/meetings/meeting.js';
import { fullDate, meetingTime, shortDate } from '../../domain/time/format.js';
import { type CopyRenderer, splitPlace } from '../card-copies.js';
import { deadlineText } from './layouts.js';
import type { DocumentCardPresenter, DocumentView } from './views.js';

/** The instant and the district's time zone a card's dates and the meeting's "upcoming" are read in. */
export interface ViewTime {
  now: Date;
  timeZone: string;
}

/**
 * The card's data as the people at no place in particular see it (see `documentViewer` for a
 * copy's). `issueNumbers` names the problems tracked items became, by problem id.
 */
export function documentView(
  directory: Directory,
  doc: OfficialDocument,
  meeting: Meeting | undefined,
  issueNumbers: ReadonlyMap<string, string>,
  { now, timeZone }: ViewTime,
  page?: number,
): DocumentView {
  const tracked = new Set(trackedItems(doc).map((i) => i.n));
  return {
    id: doc.id,
    version: doc.version,
    kind: doc.kind,
    state: doc.state,
    title: doc.title,
    number: doc.number,
    meeting: meeting
      ? {
          id: meeting.id,
          title: meeting.title,
          kindName: MEETING_KIND_NAMES[meeting.kind],
          when: meetingTime(meeting.startsAt, timeZone),
          place: meeting.place,
          participants: meeting.participants.map((p) => personName(directory, p)).join('、'),
          convener: meeting.convener,
          organiserName: unitName(directory, meeting.organiserUnit),
          cancelled: meeting.state === 'cancelled',
          upcoming: isUpcoming(meeting, doc, now),
        }
      : undefined,
    waterBodyName: directory.waterBodies.find((w) => w.id === doc.waterBodyId)?.name,
    drafterName: unitName(directory, doc.drafterUnit),
    approverName: personName(directory, doc.approverId),
    items: doc.items
      .filter((i) => doc.kind === 'minutes' || i.list === 'tasks')
      .map((i) => ({
        n: i.n,
        text: i.text,
        unitName: i.unitId ? unitName(directory, i.unitId) : undefined,
        deadline: i.deadline ? deadlineText(i.deadline, timeZone) : undefined,
        missing: tracked.has(i.n) && (!i.unitId || !i.deadline),
        listName: i.list ? LIST_NAMES[i.list] : undefined,
        issueNumber: i.issueId ? issueNumbers.get(i.issueId) : undefined,
      })),
    sections:
      doc.kind === 'fourLists'
        ? (['goals', 'problems', 'responsibilities'] as const).map((list) => ({
            heading: LIST_NAMES[list],
            lines: doc.items.filter((i) => i.list === list).map((i) => i.text),
          }))
        : doc.body.trim()
          ? [{ heading: DOCUMENT_KIND_NAMES[doc.kind], lines: doc.body.split('\n').filter((l) => l.trim()) }]
          : [],
    attachments: doc.attachments.map((a) => a.name),
    lastReturn:
      doc.lastReturn && doc.state === 'drafting'
        ? {
            byName: personName(directory, doc.lastReturn.by),
            on: shortDate(doc.lastReturn.at, timeZone),
            comment: doc.lastReturn.comment,
          }
        : undefined,
    publishedOn: doc.publishedAt ? fullDate(doc.publishedAt, timeZone) : undefined,
    page,
    drafts: false,
    approves: false,
  };
}

/**
 * What the people at a place may do with the document (destinations.ts names places): the
 * drafting unit's chat and its members' direct chats draft, the approver's direct chat
 * approves; a water body's chat, another unit's, an attendee's, or no place, neither.
 */
export function documentViewer(
  directory: Directory,
  doc: OfficialDocument,
  place: string | undefined,
): Pick<DocumentView, 'drafts' | 'approves'> {
  const { kind, id } = splitPlace(place);
  if (kind === 'unit') return { drafts: id === doc.drafterUnit, approves: false };
  if (kind === 'dm' && id) {
    const actor = documentActor(directory, id, doc);
    return { drafts: actor.isDrafter, approves: actor.isApprover };
  }
  return { drafts: false, approves: false };
}

/**
 * The card for each place from the document's view. A meeting's minutes are a 会议通知 to
 * those who neither draft them nor have them before them to approve, until they are published.
 */
export function documentCopyRenderer(
  cards: DocumentCardPresenter,
  directory: Directory,
  doc: OfficialDocument,
  base: DocumentView,
): CopyRenderer {
  return (place) => {
    const view = { ...base, ...documentViewer(directory, doc, place) };
    // The approver sees the minutes once they have come to him: to approve, or as he returned them.
    const acts = view.drafts || (view.approves && (view.state === 'pendingApproval' || !!view.lastReturn));
    if (view.meeting && view.kind === 'minutes' && view.state !== 'published' && !acts)
      return cards.meetingNotice({ ...view, meeting: view.meeting });
    return cards.document(view);
  };
}
