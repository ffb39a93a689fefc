import { FeishuApiError, FeishuNetworkError } from '../../errors.js';

/**
 * When a failed delivery is tried again, and when the outbox stops trying. There is no count
 * of attempts: a transient failure (429, 5xx, no answer, 230020) is retried until the message
 * has been waiting `giveUpAfterMs` — long enough to outlast a real outage of Feishu or of the
 * network — and only then kept as failed, for the office's 未送达 card.
 */
export interface RetryPolicy {
  /** How long after it was queued a message is still tried; a day by default. */
  giveUpAfterMs: number;
  /** The first backoff; each further attempt doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A number in [0, 1) that spreads the retries of many messages (and of several instances)
   * over the backoff, so they do not all hit Feishu at the same moment when it recovers.
   */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  giveUpAfterMs: 24 * 3_600_000,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  random: Math.random,
};

/** Whether Feishu (or the way to it) may well accept the same call later. */
export function isTransient(error: unknown): boolean {
  return error instanceof FeishuNetworkError || (error instanceof FeishuApiError && error.isRetryable);
}

/**
 * How long to wait before attempt `attempts + 1`. A 429 carrying x-ogw-ratelimit-reset waits
 * that long (Feishu's own word on when the window reopens) plus up to a second of spread;
 * anything else backs off exponentially, capped, with the upper half of the step jittered.
 */
export function retryDelayMs(policy: RetryPolicy, error: unknown, attempts: number): number {
  if (error instanceof FeishuApiError && error.isRateLimited && error.retryAfterSeconds !== undefined) {
    return Math.max(error.retryAfterSeconds * 1000, 100) + Math.floor(policy.random() * 1000);
  }
  const step = Math.min(policy.baseDelayMs * 2 ** Math.max(attempts - 1, 0), policy.maxDelayMs);
  return Math.ceil(step / 2 + (step / 2) * policy.random());
}

/** The moment the outbox stops trying a message queued at `queuedAt`. */
export function giveUpAt(policy: RetryPolicy, queuedAt: Date): number {
  return queuedAt.getTime() + policy.giveUpAfterMs;
}
