import type { Clock } from '../../domain/clock.js';
import type { FakeReach } from './fake-reach.js';
import type { FakeStore } from './fake-store.js';
import type { FakeMessage } from './fake-types.js';
import type { RouteReply } from './feishu-replies.js';
import type { MultipartPart } from './multipart.js';

/** One parsed request, as a route sees it. */
export interface RouteRequest {
  method: string;
  path: string;
  /** Named groups of the route's pattern, e.g. `messageId`. */
  params: Record<string, string | undefined>;
  query: Record<string, string>;
  /** Parsed JSON body; undefined for empty or non-JSON bodies. */
  json: unknown;
  /** Parts of a multipart body; undefined otherwise. */
  parts: MultipartPart[] | undefined;
}

/** What routes may read and change. */
export interface RouteDeps {
  store: FakeStore;
  /** Chats the bot is in, the availability range and granted scopes. */
  reach: FakeReach;
  clock: Clock;
  /** Milliseconds for rate limits (wall-clock by default, as Feishu counts real requests). */
  rateNow(): number;
  /** When set, token requests must name this app and secret. */
  appId: string | undefined;
  appSecret: string | undefined;
  bot: { openId: string; name: string };
  tenantKey: string;
  /** Called after a message is created or changed (local mode prints it). */
  notify(message: FakeMessage): void;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Whether the call needs `Authorization: Bearer <tenant token>`. */
  authenticated: boolean;
  handle(req: RouteRequest, deps: RouteDeps): RouteReply;
}
