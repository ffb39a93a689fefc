import type { CardJson, Messenger } from './ports.js';

/**
 * A card for the people at one place (`dm:<person>`, `unit:<unit>`, `water:<water body>`, see
 * destinations.ts), or for a message whose place is unknown: each copy shows what is true and
 * only the buttons its people may use.
 */
export type CopyRenderer = (place: string | undefined) => CardJson;

const PLACE = /:((?:dm|unit|water):[^:@]+)$/;
const ADOPTED = /^(.+)@((?:dm|unit|water):[^:@]+)$/;

/** A place's kind and the id it names: `unit:jinhe` → `{ kind: 'unit', id: 'jinhe' }`. */
export function splitPlace(place: string | undefined): { kind?: 'dm' | 'unit' | 'water'; id?: string } {
  const match = place ? /^(dm|unit|water):(.+)$/.exec(place) : null;
  return match ? { kind: match[1] as 'dm' | 'unit' | 'water', id: match[2] } : {};
}

/**
 * A copy as recorded among a record's card keys. A copy the bot posted ends in its place
 * (`issue:<id>:card:unit:jinhe`); a message a person tapped elsewhere and that became a copy
 * (a form in their direct chat, a list's 查看) is recorded as `<its key>@<place>`, the place
 * being the tapper's own direct chat, since that is whose card it showed.
 */
export function parseCopy(entry: string): { key: string; place: string | undefined } {
  const adopted = ADOPTED.exec(entry);
  if (adopted?.[1] && adopted[2]) return { key: adopted[1], place: adopted[2] };
  return { key: entry, place: PLACE.exec(entry)?.[1] };
}

/**
 * How a message a person tapped is recorded as a copy (see parseCopy): a message the bot sent
 * to a place keeps that place; any other shows what its tapper may do.
 */
export function adoptedCopy(key: string, tapperId: string): string {
  return PLACE.test(key) ? key : `${key}@dm:${tapperId}`;
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
    const place = PLACE.exec(key)?.[1];
    if (place) return place;
  }
  return `dm:${tapperId}`;
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
    await messenger.updateCopy(`${key}:update:${stamp}`, key, typeof card === 'function' ? card(place) : card);
  }
}
