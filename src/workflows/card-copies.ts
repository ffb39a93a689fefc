import type { CardJson, Messenger } from './ports.js';

/**
 * Replaces the card in every message already delivered under these outbox keys, so all
 * copies of a card show the same state. A copy not delivered yet is skipped: it goes out with
 * the card it was queued with, and the next change updates it. `stamp` makes each round of
 * updates its own once-only message.
 */
export async function updateDeliveredCards(messenger: Messenger, keys: Iterable<string>, stamp: string, card: CardJson): Promise<void> {
  for (const key of keys) {
    const messageId = await messenger.deliveredMessageId(key);
    if (messageId) await messenger.updateCard(`${key}:update:${stamp}`, messageId, card);
  }
}
