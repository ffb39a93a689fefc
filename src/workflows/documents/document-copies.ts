import type { Clock } from '../../domain/clock.js';
import { documentIdOfKey, messageKey } from '../../domain/delivery/message-keys.js';
import type { Directory } from '../../domain/directory/directory.js';
import type { OfficialDocument } from '../../domain/documents/document.js';
import type { Meeting } from '../../domain/meetings/meeting.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { IssueStore } from '../../store/issue-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';
import { adoptedCopy, type CopyRenderer, isCopy, placeOfTapped, updateDeliveredCards } from '../card-copies.js';
import type { Destination } from '../destinations.js';
import type { Messenger } from '../ports.js';
import { meetingOfDocument } from './document-lookup.js';
import { documentCopyRenderer, documentView } from './document-view.js';
import type { DocumentCardPresenter } from './views.js';

export interface DocumentCopiesDeps {
  documents: DocumentStore;
  meetings: MeetingStore;
  /** To number tracked items' problems on the card. */
  issues: IssueStore;
  messenger: Messenger;
  cards: DocumentCardPresenter;
  clock: Clock;
  timeZone: string;
}

/**
 * The copies of a document's card, which the meeting and document workflows share: rendered
 * per place, posted once to each place, kept up to date on every change, and the message a
 * person tapped or replied under traced back to its document.
 */
export class DocumentCopies {
  constructor(private readonly deps: DocumentCopiesDeps) {}

  /**
   * The card for each place as the document now stands; `page` picks a page of items (a tap on
   * 下一页), the first page otherwise.
   */
  async renderer(directory: Directory, doc: OfficialDocument, meeting?: Meeting, page?: number): Promise<CopyRenderer> {
    const numbers = new Map<string, string>();
    for (const item of doc.items) {
      if (!item.issueId) continue;
      const issue = await this.deps.issues.get(item.issueId);
      if (issue) numbers.set(item.issueId, issue.number);
    }
    const base = documentView(
      directory,
      doc,
      meeting ?? (await meetingOfDocument(this.deps.meetings, doc)),
      numbers,
      { now: this.deps.clock.now(), timeZone: this.deps.timeZone },
      page,
    );
    return documentCopyRenderer(this.deps.cards, directory, doc, base);
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
  async refresh(doc: OfficialDocument, render: CopyRenderer, round = 'change'): Promise<void> {
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
  async post(doc: OfficialDocument, destination: Destination, render: CopyRenderer, occasion = 'card'): Promise<void> {
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
