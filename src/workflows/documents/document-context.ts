import type { Clock } from '../../domain/clock.js';
import { documentIdOfKey, messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, type Person, personName, unitName } from '../../domain/directory/directory.js';
import {
  DOCUMENT_KIND_NAMES,
  documentActor,
  LIST_NAMES,
  type OfficialDocument,
  trackedItems,
} from '../../domain/documents/document.js';
import type { DocumentLayout } from '../../domain/documents/layout.js';
import { isUpcoming, MEETING_KIND_NAMES, type Meeting } from '../../domain/meetings/meeting.js';
import { fullDate, meetingTime, shortDate } from '../../domain/time/format.js';
import { UserInputError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { ClaimStore } from '../../store/claim-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { IssueStore } from '../../store/issue-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';
import {
  adoptedCopy,
  type CopyRenderer,
  isCopy,
  placeOfTapped,
  splitPlace,
  updateDeliveredCards,
} from '../card-copies.js';
import type { Destination } from '../destinations.js';
import type { IssueService } from '../issues/issue-service.js';
import type { CardJson, Messenger } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import { deadlineText, documentLayout } from './layouts.js';
import type { DocumentCardPresenter, DocumentView } from './views.js';

export interface DocumentDeps {
  directory: DirectoryStore;
  documents: DocumentStore;
  meetings: MeetingStore;
  claims: ClaimStore;
  /** To number tracked items' problems on the card. */
  issueStore: IssueStore;
  issues: IssueService;
  messenger: Messenger;
  cards: DocumentCardPresenter;
  /** Renders a layout as a .docx file. */
  renderDocx: (layout: DocumentLayout) => Promise<Buffer>;
  clock: Clock;
  timeZone: string;
  logger: Logger;
}

/** What the meeting and document workflows share: who is acting, the card, where copies go. */
export class DocumentContext {
  constructor(readonly deps: DocumentDeps) {}

  requireDirectory(): Promise<Directory> {
    return requireDirectory(this.deps.directory);
  }

  requirePerson(directory: Directory, openId: string): Person {
    return requirePerson(directory, openId);
  }

  async load(id: string): Promise<OfficialDocument> {
    const doc = await this.deps.documents.get(id);
    if (!doc) throw new UserInputError('找不到该文件，可能已被删除。');
    return doc;
  }

  async meetingOf(doc: OfficialDocument): Promise<Meeting | undefined> {
    return doc.meetingId ? this.deps.meetings.get(doc.meetingId) : undefined;
  }

  layout(directory: Directory, doc: OfficialDocument, meeting: Meeting | undefined): DocumentLayout {
    return documentLayout(directory, doc, meeting, this.deps.timeZone);
  }

  /** The .docx's file name: the title, and the number once published. */
  fileName(doc: OfficialDocument): string {
    return `${doc.title}${doc.number ? `（${doc.number}）` : '（草稿）'}.docx`;
  }

  /** The card's data as the people at no place in particular see it (see `viewer` for a copy's). */
  async view(
    directory: Directory,
    doc: OfficialDocument,
    meeting: Meeting | undefined,
    page?: number,
  ): Promise<DocumentView> {
    const tz = this.deps.timeZone;
    const tracked = new Set(trackedItems(doc).map((i) => i.n));
    const numbers = new Map<string, string>();
    for (const item of doc.items) {
      if (!item.issueId) continue;
      const issue = await this.deps.issueStore.get(item.issueId);
      if (issue) numbers.set(item.issueId, issue.number);
    }
    const d = (at: Date) => shortDate(at, tz);
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
            when: meetingTime(meeting.startsAt, tz),
            place: meeting.place,
            participants: meeting.participants.map((p) => personName(directory, p)).join('、'),
            convener: meeting.convener,
            organiserName: unitName(directory, meeting.organiserUnit),
            cancelled: meeting.state === 'cancelled',
            upcoming: isUpcoming(meeting, doc, this.deps.clock.now()),
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
          deadline: i.deadline ? deadlineText(i.deadline, tz) : undefined,
          missing: tracked.has(i.n) && (!i.unitId || !i.deadline),
          listName: i.list ? LIST_NAMES[i.list] : undefined,
          issueNumber: i.issueId ? numbers.get(i.issueId) : undefined,
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
              on: d(doc.lastReturn.at),
              comment: doc.lastReturn.comment,
            }
          : undefined,
      publishedOn: doc.publishedAt ? fullDate(doc.publishedAt, tz) : undefined,
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
  viewer(
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
   * The card for each place as the document now stands; `page` picks a page of items (a tap on
   * 下一页), the first page otherwise. A meeting's minutes are a 会议通知 to those who neither
   * draft them nor have them before them to approve, until they are published.
   */
  async renderer(directory: Directory, doc: OfficialDocument, meeting?: Meeting, page?: number): Promise<CopyRenderer> {
    const base = await this.view(directory, doc, meeting ?? (await this.meetingOf(doc)), page);
    return (place) => {
      const view = { ...base, ...this.viewer(directory, doc, place) };
      // The approver sees the minutes once they have come to him: to approve, or as he returned them.
      const acts = view.drafts || (view.approves && (view.state === 'pendingApproval' || !!view.lastReturn));
      if (view.meeting && view.kind === 'minutes' && view.state !== 'published' && !acts)
        return this.deps.cards.meetingNotice({ ...view, meeting: view.meeting });
      return this.deps.cards.document(view);
    };
  }

  /** The card for one place (see renderer). */
  async card(
    directory: Directory,
    doc: OfficialDocument,
    place: string | undefined,
    meeting?: Meeting,
    page?: number,
  ): Promise<CardJson> {
    return (await this.renderer(directory, doc, meeting, page))(place);
  }

  /** The place whose card a tapped message shows: its copy's place, else the tapper's direct chat. */
  async placeOfTapped(doc: OfficialDocument, messageId: string | undefined, tapperId: string): Promise<string> {
    const key = messageId ? await this.deps.messenger.keyOfMessage(messageId) : undefined;
    return placeOfTapped(doc.cardKeys, key, tapperId);
  }

  /**
   * Every copy of the document's card shows it as it now stands, each as its place sees it.
   * `round` tells apart two refreshes of one version at one instant (the approval, then the
   * publication's number), which would otherwise share their once-only keys.
   */
  async refreshCopies(doc: OfficialDocument, render: CopyRenderer, round = 'change'): Promise<void> {
    await updateDeliveredCards(
      this.deps.messenger,
      doc.cardKeys,
      `${doc.version}:${round}:${this.deps.clock.now().getTime()}`,
      render,
    );
  }

  /**
   * Posts the place's card there once and remembers the copy. `occasion` makes a new message
   * where a copy already is (publication is news, not just an update of the draft's card).
   */
  async postCard(
    doc: OfficialDocument,
    destination: Destination,
    render: CopyRenderer,
    occasion = 'card',
  ): Promise<void> {
    const key = messageKey('documentCard', { documentId: doc.id, occasion, place: destination.place });
    if (!doc.cardKeys.includes(key)) {
      await this.deps.documents.addCardKey(doc.id, key);
      doc.cardKeys.push(key);
    }
    await this.deps.messenger.send(key, destination.to, { kind: 'card', card: render(destination.place) });
  }

  /** Keeps a card a person tapped elsewhere up to date as a copy, showing what its place may do. */
  async adopt(doc: OfficialDocument, messageId: string | undefined, tapperId: string): Promise<void> {
    if (!messageId) return;
    const key = await this.deps.messenger.keyOfMessage(messageId);
    if (!key || isCopy(doc.cardKeys, key)) return;
    const entry = adoptedCopy(key, tapperId);
    await this.deps.documents.addCardKey(doc.id, entry);
    doc.cardKeys.push(entry);
  }

  /** The document a thread belongs to: the root message is a copy of its card. */
  async documentOfThread(rootMessageId: string): Promise<OfficialDocument | undefined> {
    const key = await this.deps.messenger.keyOfMessage(rootMessageId);
    const id = key ? documentIdOfKey(key) : undefined;
    return id ? this.deps.documents.get(id) : undefined;
  }
}
