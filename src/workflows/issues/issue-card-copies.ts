import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import type { Issue } from '../../domain/issues/issue.js';
import type { IssueStore } from '../../store/issue-store.js';
import { adoptedCopy, type CopyRenderer, isCopy, placeOfTapped, updateDeliveredCards } from '../card-copies.js';
import type { Destination } from '../destinations.js';
import type { Messenger } from '../ports.js';

/**
 * Where a problem's card is and keeping it current: every message showing the card is a
 * copy recorded on the problem (`cardKeys`), posted once per place, adopted when someone taps
 * a message that showed it, and redrawn for its place on every change.
 */
export class IssueCardCopies {
  constructor(
    private readonly messenger: Messenger,
    private readonly issues: Pick<IssueStore, 'addCardKey'>,
    private readonly clock: Clock,
  ) {}

  /** The place whose card a tapped message shows: its copy's place, else the tapper's direct chat. */
  async placeOfTapped(issue: Issue, messageId: string | undefined, tapperId: string): Promise<string> {
    const key = messageId ? await this.messenger.keyOfMessage(messageId) : undefined;
    return placeOfTapped(issue.cardKeys, key, tapperId);
  }

  /**
   * Every copy of the problem's card shows its state now, each as its place sees it; a copy
   * just tapped included, which the tap's answer then leaves alone (see updatedDuring).
   */
  async refresh(issue: Issue, render: CopyRenderer): Promise<void> {
    await updateDeliveredCards(
      this.messenger,
      issue.cardKeys,
      `${issue.version}:${this.clock.now().getTime()}`,
      render,
    );
  }

  /** Posts the place's card there once (the key makes a repeat a no-op) and remembers the copy. */
  async post(issue: Issue, destination: Destination, render: CopyRenderer): Promise<void> {
    const key = messageKey('issueCard', { issueId: issue.id, place: destination.place });
    await this.issues.addCardKey(issue.id, key);
    if (!issue.cardKeys.includes(key)) issue.cardKeys.push(key);
    await this.messenger.send(key, destination.to, { kind: 'card', card: render(destination.place) });
  }

  /** Keeps the message a person tapped up to date as a copy of the card, showing what its place may do. */
  async adopt(issue: Issue, messageId: string | undefined, tapperId: string): Promise<void> {
    if (!messageId) return;
    const key = await this.messenger.keyOfMessage(messageId);
    if (!key || isCopy(issue.cardKeys, key)) return;
    const entry = adoptedCopy(key, tapperId);
    await this.issues.addCardKey(issue.id, entry);
    issue.cardKeys.push(entry);
  }
}
