import { AsyncLocalStorage } from 'node:async_hooks';
import { messageKey, parseCopy, placeKey, placeOfKey } from '../domain/delivery/message-keys.js';
import type { CardJson, Messenger } from './ports.js';

export { adoptedCopy, parseCopy, splitPlace } from '../domain/delivery/message-keys.js';

/**
 * A card for the people at one place (`dm:<person>`, `unit:<unit>`, `water:<water body>`, see
 * destinations.ts), or for a message whose place is unknown: each copy shows what is true and
 * only the buttons its people may use.
 */
export type CopyRenderer = (place: string | undefined) => CardJson;

/** The keys of the copies updated by the work running in this context (see updatedDuring). */
const updatedCopies = new AsyncLocalStorage<Set<string>>();

/**
 * Runs a tap's work and tells which card copies it updated, by key. A copy it updated shows
 * the change already, with the card for its own place, so the tap's answer need not patch
 * that message a second time (card-actions.ts; Feishu allows five updates a second per message).
 */
export async function updatedDuring<T>(work: () => Promise<T>): Promise<{ result: T; copies: ReadonlySet<string> }> {
  const copies = new Set<string>();
  const result = await updatedCopies.run(copies, work);
  return { result, copies };
}

/** Whether a message is already among the copies, however it was recorded. */
export function isCopy(entries: Iterable<string>, key: string): boolean {
  for (const entry of entries) if (parseCopy(entry).key === key) return true;
  return false;
}

/**
 * The place a tapped message shows its card for: a copy's own place, else the tapper's direct
 * chat (forms open there; a message nobody recorded shows the tapper what they may do).
 */
export function placeOfTapped(entries: Iterable<string>, key: string | undefined, tapperId: string): string {
  if (key) {
    for (const entry of entries) {
      const copy = parseCopy(entry);
      if (copy.key === key && copy.place) return copy.place;
    }
    const place = placeOfKey(key);
    if (place) return place;
  }
  return placeKey('dm', tapperId);
}

/**
 * Replaces the card in every message already delivered under these card keys, each with the
 * card for its place, so all copies show the same state. A copy not delivered yet is skipped:
 * it goes out with the card it was queued with, and the next change updates it. A copy older
 * than Feishu's 14-day update window is not patched: a fresh card goes to the same place and
 * becomes the copy (see Messenger.updateCopy). `stamp` makes each round of updates its own
 * once-only message.
 */
export async function updateDeliveredCards(
  messenger: Messenger,
  entries: Iterable<string>,
  stamp: string,
  card: CardJson | CopyRenderer,
): Promise<void> {
  for (const entry of entries) {
    const { key, place } = parseCopy(entry);
    await messenger.updateCopy(
      messageKey('cardUpdate', { key, stamp }),
      key,
      typeof card === 'function' ? card(place) : card,
    );
    updatedCopies.getStore()?.add(key);
  }
}
