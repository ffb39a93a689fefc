import type { Clock } from '../../domain/clock.js';
import { FeishuApiError, FeishuNetworkError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { OutboxOperation } from '../../store/models/outbox-message.js';
import type { OutboxRecord, OutboxStore } from '../../store/outbox-store.js';
import type { FeishuApi } from './feishu-api.js';
import type { RateLimiter } from './rate-limiter.js';
import { Semaphore } from '../../support/semaphore.js';

export interface RetryPolicy {
  /** Attempts in all, the first included, before a message is kept as failed. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

export interface DrainResult {
  sent: number;
  deferred: number;
  failed: number;
}

type Outcome = keyof DrainResult;

/**
 * Delivers queued messages to Feishu: respects the send limits, retries 429 after
 * x-ogw-ratelimit-reset and 5xx or network faults with backoff, and keeps a message that
 * still fails as `failed` (logged at error level) instead of dropping it.
 *
 * A message that may go now is stored already claimed and sent at once; one held back by
 * the limits, a retry, or one abandoned by a crashed instance is picked up by the sweep,
 * which `start()` runs every few seconds and tests run with `drain()` and a manual clock.
 */
export class OutboxWorker {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Bounds the sends in flight; the rest wait in memory (they are already persisted). */
  private readonly slots: Semaphore;
  /** What happened since the last drain(); tests read it through drain()'s result. */
  private tally: DrainResult = { sent: 0, deferred: 0, failed: 0 };

  constructor(
    private readonly store: OutboxStore,
    private readonly api: FeishuApi,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    /** Sends in flight at once from this process. */
    private readonly concurrency = 8,
  ) {
    this.slots = new Semaphore(concurrency);
  }

  /**
   * Persists one message and, when the limits allow, sends it right away in the background.
   * Resolves once the message is safely stored.
   */
  async submit(key: string, operation: OutboxOperation, rateKey: string): Promise<void> {
    const now = this.clock.now().getTime();
    const wait = this.limiter.tryAcquire(rateKey, now);
    const record = await this.store.enqueue(key, operation, rateKey, wait === 0 ? { claimNow: true } : { notBefore: new Date(now + wait) });
    if (!record) return; // the same logical message was queued before
    if (wait > 0) {
      this.tally.deferred += 1;
      this.wakeAt(now + wait);
      return;
    }
    this.track(this.slots.run(() => this.deliver(record)).then((outcome) => void (this.tally[outcome] += 1)));
  }

  /**
   * Waits for sends in flight, then sweeps everything due at the clock's now. Returns what
   * happened since the previous drain, sends started by submit() included.
   */
  async drain(): Promise<DrainResult> {
    await this.idle();
    await this.sweep();
    await this.idle();
    const result = this.tally;
    this.tally = { sent: 0, deferred: 0, failed: 0 };
    return result;
  }

  /** Resolves when no send started so far is still in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** One sweep at a time per process; a caller arriving mid-sweep waits and runs its own. */
  private async sweep(): Promise<void> {
    while (this.sweeping) await this.sweeping;
    this.sweeping = this.sweepOnce().finally(() => {
      this.sweeping = undefined;
    });
    await this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const lanes = Array.from({ length: Math.min(this.concurrency, 4) }, async () => {
      for (let record = await this.store.claimDue(); record; record = await this.store.claimDue()) {
        const claimed = record;
        const now = this.clock.now().getTime();
        const wait = this.limiter.tryAcquire(claimed.rateKey, now);
        if (wait > 0) {
          await this.store.defer(claimed._id, new Date(now + wait), null, false);
          this.tally.deferred += 1;
          this.wakeAt(now + wait);
          continue;
        }
        this.tally[await this.slots.run(() => this.deliver(claimed))] += 1;
      }
    });
    await Promise.all(lanes);
  }

  private async deliver(record: OutboxRecord): Promise<Outcome> {
    const log = this.logger.child({ outboxKey: record.key, op: record.operation.op, attempt: record.attempts });
    try {
      const { messageId } = await this.api.perform(record.operation, record._id.toString());
      await this.store.markSent(record._id, messageId);
      log.debug({ messageId }, 'message delivered');
      return 'sent';
    } catch (error) {
      const retryable = error instanceof FeishuNetworkError || (error instanceof FeishuApiError && error.isRetryable);
      const reason = error instanceof Error ? error.message : String(error);
      if (!retryable || record.attempts >= this.retry.maxAttempts) {
        await this.store.markFailed(record._id, reason);
        log.error({ err: error, attempts: record.attempts }, 'message could not be delivered; kept as failed');
        return 'failed';
      }
      const due = this.clock.now().getTime() + this.retryDelayMs(error, record.attempts);
      await this.store.defer(record._id, new Date(due), reason, true);
      this.wakeAt(due);
      log.warn({ reason, due: new Date(due) }, 'delivery failed; will retry');
      return 'deferred';
    }
  }

  private retryDelayMs(error: unknown, attempts: number): number {
    if (error instanceof FeishuApiError && error.isRateLimited && error.retryAfterSeconds !== undefined) {
      return Math.max(error.retryAfterSeconds * 1000, 100);
    }
    return Math.min(this.retry.baseDelayMs * 2 ** (attempts - 1), this.retry.maxDelayMs);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.logger.error({ err: error }, 'outbox send crashed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  // ---- the background loop (production) ----

  private nextWakeAt: number | undefined;

  /** A deferral this process knows of: sweep again at that time rather than at the next poll. */
  private wakeAt(at: number): void {
    if (this.nextWakeAt === undefined || at < this.nextWakeAt) this.nextWakeAt = at;
  }

  /** Sweeps every `pollMs` (finding crash leftovers and other instances' retries) and at known deferrals. */
  start(pollMs = 5_000): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.sweep();
        } catch (error) {
          this.logger.error({ err: error }, 'outbox sweep failed');
        }
        const now = this.clock.now().getTime();
        const until = this.nextWakeAt !== undefined ? Math.max(this.nextWakeAt - now, 10) : pollMs;
        this.nextWakeAt = undefined;
        await this.sleep(Math.min(until, pollMs));
      }
    })();
  }

  /** Stops the loop, waits for sends in flight, and sweeps once more. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.drain();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
