/**
 * Feishu's send limits, enforced before each call: 50/s and 1000/min per app, 5/s to the
 * same user or chat. Sliding windows over recent send times; it only answers "wait this
 * long", so the caller decides how to wait (and tests can move a manual clock).
 * Limits are per process: several instances should share the app limit by configuration.
 */
export interface RateLimits {
  perAppPerSecond: number;
  perAppPerMinute: number;
  perReceiverPerSecond: number;
}

export const FEISHU_MESSAGE_LIMITS: RateLimits = { perAppPerSecond: 50, perAppPerMinute: 1000, perReceiverPerSecond: 5 };

class Window {
  private readonly times: number[] = [];

  constructor(
    private readonly size: number,
    private readonly spanMs: number,
  ) {}

  /** Milliseconds until one more event fits, 0 if it fits now. */
  waitMs(now: number): number {
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - this.spanMs) this.times.shift();
    if (this.times.length < this.size) return 0;
    return (this.times[0] ?? now) + this.spanMs - now;
  }

  record(now: number): void {
    this.times.push(now);
  }

  get empty(): boolean {
    return this.times.length === 0;
  }
}

export class RateLimiter {
  private readonly appSecond: Window;
  private readonly appMinute: Window;
  private readonly receivers = new Map<string, Window>();

  constructor(private readonly limits: RateLimits = FEISHU_MESSAGE_LIMITS) {
    this.appSecond = new Window(limits.perAppPerSecond, 1000);
    this.appMinute = new Window(limits.perAppPerMinute, 60_000);
  }

  /** Takes a slot for a send to `receiver` at `now` if one is free; otherwise says how long to wait. */
  tryAcquire(receiver: string, now: number): number {
    let receiverWindow = this.receivers.get(receiver);
    if (!receiverWindow) {
      receiverWindow = new Window(this.limits.perReceiverPerSecond, 1000);
      this.receivers.set(receiver, receiverWindow);
    }
    const wait = Math.max(this.appSecond.waitMs(now), this.appMinute.waitMs(now), receiverWindow.waitMs(now));
    if (wait > 0) return wait;
    this.appSecond.record(now);
    this.appMinute.record(now);
    receiverWindow.record(now);
    if (this.receivers.size > 10_000) this.forgetIdle(now);
    return 0;
  }

  private forgetIdle(now: number): void {
    for (const [key, window] of this.receivers) {
      window.waitMs(now);
      if (window.empty) this.receivers.delete(key);
    }
  }
}
