/**
 * Feishu's rate limits, per API, enforced before each call. Sliding windows over recent call
 * times; the limiter only answers "wait this long", so the caller decides how to wait (and
 * tests can move a manual clock). Limits are per process: several instances share Feishu's
 * per-app budget, and Feishu's own 429 (retried after x-ogw-ratelimit-reset) is the backstop.
 *
 * Each API has its own budget (频控策略, "不同 OpenAPI 设置了不同级别的频控策略",
 * https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control ):
 * - send and reply (发送消息, https://open.feishu.cn/document/server-docs/im-v1/message/create ;
 *   回复消息, https://open.feishu.cn/document/server-docs/im-v1/message/reply ): 1000/min and
 *   50/s per app; 5/s to the same person, 5/s to the same group (shared by the bots in it).
 *   Replies count with sends here: both land in the same chats, so the per-chat 5/s is one budget.
 * - card patch (更新应用发送的消息卡片,
 *   https://open.feishu.cn/document/server-docs/im-v1/message-card/patch ): 5/s per message,
 *   and its own 1000/min and 50/s per app, not the send budget.
 * - buzz (发送应用内加急, https://open.feishu.cn/document/server-docs/im-v1/buzz-messages/urgent_app ):
 *   "默认接口限流为 50 QPS", its own budget.
 * - uploads (上传文件, https://open.feishu.cn/document/server-docs/im-v1/file/create ): their
 *   own budget; the page's tier could not be read here, so the common 1000/min and 50/s tier
 *   of the frequency-control page is assumed.
 * - delayed card update (延时更新消息卡片,
 *   https://open.feishu.cn/document/ukTMukTMukTM/uMDO1YjLzgTN24yM4UjN ): no tier documented;
 *   each token is good for a few uses only, so one call per token at a time and 50/s per app.
 */

/** One budget: at most `size` calls in any `spanMs`. */
export interface Limit {
  size: number;
  spanMs: number;
}

/** The limits of one API: for the whole app, and for each key (a chat, a person, a message). */
export interface ApiLimits {
  perApp: Limit[];
  perKey: Limit[];
}

export type FeishuApiKind = 'message' | 'patch' | 'urgent' | 'upload' | 'cardUpdate';

const perSecond = (size: number): Limit => ({ size, spanMs: 1_000 });
const perMinute = (size: number): Limit => ({ size, spanMs: 60_000 });

export const FEISHU_RATE_LIMITS: Record<FeishuApiKind, ApiLimits> = {
  message: { perApp: [perSecond(50), perMinute(1000)], perKey: [perSecond(5)] },
  patch: { perApp: [perSecond(50), perMinute(1000)], perKey: [perSecond(5)] },
  urgent: { perApp: [perSecond(50)], perKey: [] },
  upload: { perApp: [perSecond(50), perMinute(1000)], perKey: [] },
  cardUpdate: { perApp: [perSecond(50)], perKey: [perSecond(1)] },
};

/** One call about to be made: which API, and the key its per-key limit counts against. */
export interface RateLane {
  api: FeishuApiKind;
  key: string;
}

class Window {
  private readonly times: number[] = [];

  constructor(private readonly limit: Limit) {}

  /** Milliseconds until one more call fits, 0 if it fits now. */
  waitMs(now: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - this.limit.spanMs) this.times.shift();
    if (this.times.length < this.limit.size) return 0;
    return (this.times[0] ?? now) + this.limit.spanMs - now;
  }

  record(now: number): void {
    this.times.push(now);
  }

  get empty(): boolean {
    return this.times.length === 0;
  }
}

export class RateLimiter {
  private readonly apps = new Map<FeishuApiKind, Window[]>();
  private readonly keys = new Map<string, Window[]>();

  constructor(private readonly limits: Record<FeishuApiKind, ApiLimits> = FEISHU_RATE_LIMITS) {}

  /**
   * Takes a slot in every lane (an upload and its file message are two calls) if all are
   * free; otherwise takes none and says how long to wait.
   */
  tryAcquire(lanes: RateLane | RateLane[], now: number): number {
    const windows = (Array.isArray(lanes) ? lanes : [lanes]).flatMap((lane) => [
      ...this.appWindows(lane.api),
      ...this.keyWindows(lane),
    ]);
    const wait = Math.max(0, ...windows.map((w) => w.waitMs(now)));
    if (wait > 0) return wait;
    for (const window of windows) window.record(now);
    if (this.keys.size > 10_000) this.forgetIdle(now);
    return 0;
  }

  private appWindows(api: FeishuApiKind): Window[] {
    let windows = this.apps.get(api);
    if (!windows) {
      windows = this.limits[api].perApp.map((limit) => new Window(limit));
      this.apps.set(api, windows);
    }
    return windows;
  }

  private keyWindows(lane: RateLane): Window[] {
    const id = `${lane.api}\u0000${lane.key}`;
    let windows = this.keys.get(id);
    if (!windows) {
      windows = this.limits[lane.api].perKey.map((limit) => new Window(limit));
      this.keys.set(id, windows);
    }
    return windows;
  }

  private forgetIdle(now: number): void {
    for (const [id, windows] of this.keys) {
      for (const window of windows) window.waitMs(now);
      if (windows.every((w) => w.empty)) this.keys.delete(id);
    }
  }
}
