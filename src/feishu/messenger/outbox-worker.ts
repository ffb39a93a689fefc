import type { Clock } from '../../domain/clock.js';
import { FeishuApiError, FeishuNetworkError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { OutboxRecord, OutboxStore } from '../../store/outbox-store.js';
import type { FeishuApi } from './feishu-api.js';
import type { RateLimiter } from './rate-limiter.js';

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

/**
 * Delivers queued messages to Feishu: respects the send limits, retries 429 after
 * x-ogw-ratelimit-reset and 5xx or network faults with backoff, and keeps a message that
 * still fails as `failed` (logged at error level) instead of dropping it.
 *
 * `drain()` does all the work that is due now and returns; `start()` runs it in a loop that
 * sleeps until the next message falls due or `kick()` says new work arrived.
 */
export class OutboxWorker {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private draining: Promise<DrainResult> | undefined;

  constructor(
    private readonly store: OutboxStore,
    private readonly api: FeishuApi,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly concurrency = 4,
  ) {}

  /** Sends everything due now, with a few sends in flight at once. */
  async drain(): Promise<DrainResult> {
    // One drain at a time per process. A caller arriving mid-drain waits for it and then runs
    // its own, so work queued just before the call is always covered by the result.
    while (this.draining) await this.draining.catch(() => undefined);
    this.draining = this.drainOnce().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainOnce(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, deferred: 0, failed: 0 };
    const lane = async () => {
      for (let record = await this.store.claimDue(); record; record = await this.store.claimDue()) {
        result[await this.deliver(record)] += 1;
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, lane));
    return result;
  }

  private async deliver(record: OutboxRecord): Promise<keyof DrainResult> {
    const now = this.clock.now().getTime();
    const log = this.logger.child({ outboxKey: record.key, op: record.operation.op, attempt: record.attempts });
    const wait = this.limiter.tryAcquire(record.rateKey, now);
    if (wait > 0) {
      await this.store.defer(record._id, new Date(now + wait), null, false);
      return 'deferred';
    }
    try {
      const { messageId } = await this.api.perform(record.operation, record._id.toString());
      await this.store.markSent(record._id, messageId);
      log.debug({ messageId }, 'message delivered');
      return 'sent';
    } catch (error) {
      const retryable =
        error instanceof FeishuNetworkError || (error instanceof FeishuApiError && error.isRetryable);
      const reason = error instanceof Error ? error.message : String(error);
      if (!retryable || record.attempts >= this.retry.maxAttempts) {
        await this.store.markFailed(record._id, reason);
        log.error({ err: error, attempts: record.attempts }, 'message could not be delivered; kept as failed');
        return 'failed';
      }
      const delayMs = this.retryDelayMs(error, record.attempts);
      await this.store.defer(record._id, new Date(now + delayMs), reason, true);
      log.warn({ reason, delayMs }, 'delivery failed; will retry');
      return 'deferred';
    }
  }

  private retryDelayMs(error: unknown, attempts: number): number {
    if (error instanceof FeishuApiError && error.isRateLimited && error.retryAfterSeconds !== undefined) {
      return Math.max(error.retryAfterSeconds * 1000, 100);
    }
    return Math.min(this.retry.baseDelayMs * 2 ** (attempts - 1), this.retry.maxDelayMs);
  }

  /** Starts the background loop (production). Tests call drain() with a manual clock instead. */
  start(pollMs = 1_000): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.drain();
          const next = await this.store.nextDueAt();
          const untilNext = next ? next.getTime() - this.clock.now().getTime() : pollMs;
          await this.sleep(Math.min(Math.max(untilNext, 10), pollMs));
        } catch (error) {
          this.logger.error({ err: error }, 'outbox loop error');
          await this.sleep(pollMs);
        }
      }
    })();
  }

  /** New work was queued: wake the loop now instead of at the next poll. */
  kick(): void {
    this.wake?.();
  }

  /** Stops the loop, then sends once more what in-flight work queued meanwhile. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.kick();
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
