import { randomBytes } from 'node:crypto';

/**
 * Tenant access tokens issued by the fake platform.
 *
 * The registry is shared by every FakeFeishu in the process on purpose: the SDK caches
 * tenant tokens process-wide per app id (its module-level cache), so a client talking to
 * a fake started after another one would otherwise present a token the new instance
 * never issued. Like the real platform, one token per app stays valid until revoked.
 */

/** Lifetime reported to clients, in seconds, as Feishu does. */
export const TOKEN_LIFETIME_SECONDS = 7200;

const byToken = new Map<string, string>();
const byApp = new Map<string, string>();

/** The app's current token, minting one on first use. */
export function issueTenantToken(appId: string): string {
  const existing = byApp.get(appId);
  if (existing) return existing;
  const token = `t-fake-${randomBytes(16).toString('hex')}`;
  byToken.set(token, appId);
  byApp.set(appId, token);
  return token;
}

/** The app a token belongs to, or undefined when it was never issued or was revoked. */
export function tenantTokenOwner(token: string): string | undefined {
  return byToken.get(token);
}

/** Invalidates an app's token (or every token), so the next call must fetch a new one. */
export function revokeTenantTokens(appId?: string): void {
  for (const [token, owner] of byToken) {
    if (appId === undefined || owner === appId) {
      byToken.delete(token);
      byApp.delete(owner);
    }
  }
}
