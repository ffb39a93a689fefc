import { randomBytes } from 'node:crypto';

/**
 * Id conventions shared by the fake platform and the event builders, so a person's
 * union_id and user_id agree wherever the fake mentions them.
 */

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export interface UserIds {
  open_id: string;
  union_id: string;
  user_id: string;
}

/** Derives stable union_id / user_id values from an open_id (`ou_x` → `on_x`, `x`). */
export function userIdsFor(openId: string, overrides: { unionId?: string; userId?: string } = {}): UserIds {
  const bare = openId.replace(/^ou_/, '');
  return { open_id: openId, union_id: overrides.unionId ?? `on_${bare}`, user_id: overrides.userId ?? bare };
}

/** The id the fake gives the bot's direct (p2p) chat with a person. */
export function p2pChatIdFor(openId: string): string {
  return `oc_fake_p2p_${openId}`;
}
