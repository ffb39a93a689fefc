import { randomHex } from './fake-ids.js';

/**
 * Card callback tokens (the `c-…` token of `card.action.trigger`) made by the event
 * builders carry the card's message id, so the fake can apply a delayed card update to
 * the right message without the test wiring tokens to messages by hand.
 */

const PATTERN = /^c-([A-Za-z0-9_-]+)\.[0-9a-f]+$/;

export function callbackTokenFor(messageId: string): string {
  return `c-${Buffer.from(messageId, 'utf8').toString('base64url')}.${randomHex(8)}`;
}

/** The message id inside a token from `callbackTokenFor`, or undefined for any other token. */
export function messageIdFromCallbackToken(token: string): string | undefined {
  const match = PATTERN.exec(token);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64url').toString('utf8');
  return decoded.length > 0 ? decoded : undefined;
}
