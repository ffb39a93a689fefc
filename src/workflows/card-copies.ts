import type { CardJson, Messenger } from './ports.js';

/**
 * Replaces the card in every message already delivered under these outbox keys, so all
 * copies of a card show the same state. A copy not delivered yet is skipped: it goes out with
 * the card it was queued with, and the next change updates it. A copy older than Feishu's
 * 14-day update window is not patched: a fresh card goes to the same place and becomes the
 * copy (see Messenger.updateCopy). `stamp` makes each round of updates its own once-only message.
 */
export async function updateDeliveredCards(messenger: Messenger, keys: Iterable<string>, stamp: string, card: CardJson): Promise<void> {
  for (const key of keys) await messenger.updateCopy(`${key}:update:${stamp}`, key, card);
}
