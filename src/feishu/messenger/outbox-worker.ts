import { createHash } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import { FeishuApiError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { OutboxOperation } from '../../store/models/outbox-message.js';
import { type OutboxRecord, type OutboxStore, queueOrder } from '../../store/outbox-store.js';
import { Semaphore } from '../../support/semaphore.js';
import { CARD_REFRESH_AFTER_MS, CARD_TOO_OLD_CODE } from './card-window.js';
import { classifyFailure } from './delivery-failure.js';
import type { FeishuApi, Performed } from './feishu-api.js';
import { messageUuid } from './message-uuid.js';
import type { RateLane, RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY, giveUpAt, isTransient, type RetryPolicy, retryDelayMs } from './retry-policy.js';

type PatchOperation = Extract<OutboxOperation, { op: 'patch' }>;
type UrgentOperation = Extract<OutboxOperation, { op: 'urgent' }>;
type SendFileOperation = Extract<OutboxOperation, { op: 'sendFile' }>;
type Copy = NonNullable<Awaited<ReturnType<OutboxStore['currentCopy']>>>;

/** How long an update or buzz waits for a fresh copy still on its way, before looking again. */
const FRESH_COPY_WAIT_MS = 2_000;

export { DEFAULT_RETRY, type RetryPolicy } from './retry-policy.js';

/** How often the loop moves old records out of the hot collection. */
const HOUSEKEEPING_EVERY_MS = 60 * 60_000;
/**
 * How long a failure stays in the hot collection: past the 未送达 digest's look-back (8 days),
 * so each failure is reported, and the week /状态 counts.
 */
const KEEP_FAILED_MS = 9 * 24 * 3_600_000;

/** The rate budgets one operation spends (see rate-limiter.ts for Feishu's limits per API). */
export function lanesOf(operation: OutboxOperation, rateKey: string): RateLane[] {
  switch (operation.op) {
    case 'send':
    case 'reply':
      return [{ api: 'message', key: rateKey }];
    case 'sendFile':
      return [
        { api: 'message', key: rateKey },
        { api: 'upload', key: '' },
      ];
    case 'patch':
      return [{ api: 'patch', key: operation.messageId }];
    case 'urgent':
      return [{ api: 'urgent', key: operation.messageId }];
    case 'delayedUpdate':
      return [{ api: 'cardUpdate', key: operation.token }];
  }
}

export interface DrainResult {
  sent: number;
  deferred: number;
  failed: number;
}

type Outcome = keyof DrainResult;

/**
 * Delivers queued messages to Feishu: respects Feishu's limits per API, retries 429 after
 * x-ogw-ratelimit-reset and 5xx, 230020 or network faults with capped, jittered backoff until
 * the message has waited the policy's give-up time (a day by default), and only then keeps it
 * as `failed` (logged at error level, reported on the 未送达 card) instead of dropping it.
 * Every attempt of one message carries the same Feishu `uuid`, derived from its key.
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
  /**
   * The card update of each message under way in this process: the next one of the same
   * message waits for it, so this process delivers a card's updates one at a time, in order.
   */
  private readonly patching = new Map<string, Promise<unknown>>();
  /** Uploads under way in this process, by content hash: two destinations share one upload. */
  private readonly uploading = new Map<string, Promise<string>>();

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
   * Resolves once the message is safely stored: true, or false when the key was queued before.
   * `fresh` makes a fresh card the copy kept under `copyOf`, showing the update queued at `shows`.
   */
  async submit(
    key: string,
    operation: OutboxOperation,
    rateKey: string,
    fresh?: { copyOf: string; shows: number },
  ): Promise<boolean> {
    const now = this.clock.now().getTime();
    const wait = this.limiter.tryAcquire(lanesOf(operation, rateKey), now);
    const record = await this.store.enqueue(
      key,
      operation,
      rateKey,
      wait === 0 ? { claimNow: true } : { notBefore: new Date(now + wait) },
      fresh,
    );
    if (!record) return false; // the same logical message was queued before
    if (wait > 0) {
      this.tally.deferred += 1;
      this.wakeAt(now + wait);
      return true;
    }
    this.track(this.slots.run(() => this.deliver(record)).then((outcome) => void (this.tally[outcome] += 1)));
    return true;
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
        const wait = this.limiter.tryAcquire(lanesOf(claimed.operation, claimed.rateKey), now);
        if (wait > 0) {
          await this.store.defer(claimed, new Date(now + wait), null, false);
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
    const op = record.operation;
    try {
      if ((op.op === 'patch' || op.op === 'urgent') && op.copyKey) {
        const copy = await this.store.currentCopy(op.copyKey);
        if (copy) return await this.deliverToCopy(record, op, copy);
      }
      if (op.op === 'patch') return await this.patch(record, op, op.messageId);
      const uuid = messageUuid(record.key);
      const performed = op.op === 'sendFile' ? await this.sendFile(op, uuid) : await this.api.perform(op, uuid);
      await this.recordSent(record, performed);
      log.debug({ messageId: performed.messageId }, 'message delivered');
      return 'sent';
    } catch (error) {
      return this.failedAttempt(record, error, log);
    }
  }

  private async recordSent(record: OutboxRecord, performed: Performed): Promise<void> {
    await this.store.markSent(record, performed.messageId, performed.chatId);
    // A fresh card sent in place of an old copy is that copy from now on.
    if (record.copyOf && performed.messageId)
      await this.store.adoptFresh(record.copyOf, performed.messageId, this.clock.now());
  }

  private async failedAttempt(record: OutboxRecord, error: unknown, log: Logger): Promise<Outcome> {
    const retryable = isTransient(error);
    const reason = error instanceof Error ? error.message : String(error);
    const now = this.clock.now().getTime();
    const deadline = giveUpAt(this.retry, record.createdAt);
    if (!retryable || now >= deadline) {
      await this.store.markFailed(record, reason, classifyFailure(error, retryable));
      log.error(
        { err: error, attempts: record.attempts, queuedAt: record.createdAt },
        'message could not be delivered; kept as failed',
      );
      return 'failed';
    }
    // The last attempt is made at the deadline itself, not skipped because a backoff overshoots it.
    const due = Math.min(now + retryDelayMs(this.retry, error, record.attempts), deadline);
    await this.store.defer(record, new Date(due), reason, true);
    this.wakeAt(due);
    log.warn({ reason, due: new Date(due) }, 'delivery failed; will retry');
    return 'deferred';
  }

  /**
   * An update or a buzz of a card copy goes to the copy's newest message. A copy Feishu no
   * longer lets be updated (older than CARD_REFRESH_AFTER_MS, or refused as too old) gets a
   * fresh card instead; a buzz waits for that fresh card rather than ring an old one.
   */
  private async deliverToCopy(
    record: OutboxRecord,
    op: PatchOperation | UrgentOperation,
    copy: Copy,
  ): Promise<Outcome> {
    const stale = this.clock.now().getTime() - copy.sentAt.getTime() >= CARD_REFRESH_AFTER_MS;
    if (op.op === 'urgent') {
      if (stale) return this.waitForFresh(record, true);
      const performed = await this.api.perform({ ...op, messageId: copy.messageId }, record._id);
      await this.recordSent(record, performed);
      return 'sent';
    }
    if (stale) return this.resendFresh(record, op, copy);
    try {
      return await this.patch(record, op, copy.messageId);
    } catch (error) {
      // Our clock and Feishu's may disagree by a little: a refusal as too old is a stale copy too.
      if (error instanceof FeishuApiError && error.feishuCode === CARD_TOO_OLD_CODE)
        return this.resendFresh(record, op, copy);
      throw error;
    }
  }

  /**
   * Puts an update's card on a message, unless a newer update of the same message is queued
   * or already shown: then this one would only bring an older state back (a retry after an
   * outage, or several updates in flight at once), so it is settled unsent. Updates of one
   * message take turns in this process, so two of them are never on the wire together.
   */
  private async patch(record: OutboxRecord, op: PatchOperation, messageId: string): Promise<Outcome> {
    const before = this.patching.get(messageId);
    const turn = (before ?? Promise.resolve()).catch(() => undefined).then(() => this.patchNow(record, op, messageId));
    this.patching.set(messageId, turn);
    try {
      return await turn;
    } finally {
      if (this.patching.get(messageId) === turn) this.patching.delete(messageId);
    }
  }

  private async patchNow(record: OutboxRecord, op: PatchOperation, messageId: string): Promise<Outcome> {
    if (await this.store.patchOutdated(record, messageId)) {
      await this.store.markOutdated(record);
      this.logger.debug({ outboxKey: record.key, messageId }, 'card update skipped: a newer one is queued or shown');
      return 'sent';
    }
    const performed = await this.api.perform({ ...op, messageId }, record._id);
    // Settling it also records that the message shows this update (OutboxStore.settle).
    await this.recordSent(record, performed);
    return 'sent';
  }

  /**
   * Sends the patch's card afresh to where the copy went (the same person or chat; a reply's
   * chat) under a key of the copy's old message, so one old message gets one fresh card; the
   * fresh message becomes the copy once delivered.
   */
  private async resendFresh(record: OutboxRecord, op: PatchOperation, copy: Copy): Promise<Outcome> {
    const copyKey = op.copyKey!;
    const freshKey = messageKey('freshCopy', { key: copyKey, messageId: copy.messageId });
    const original = copy.record.operation;
    let operation: OutboxOperation;
    let rateKey: string;
    if (original.op === 'send') {
      operation = {
        op: 'send',
        receiveIdType: original.receiveIdType,
        receiveId: original.receiveId,
        msgType: 'interactive',
        content: op.content,
      };
      rateKey = original.receiveId;
    } else if (original.op === 'reply' && copy.record.chatId) {
      operation = {
        op: 'send',
        receiveIdType: 'chat_id',
        receiveId: copy.record.chatId,
        msgType: 'interactive',
        content: op.content,
      };
      rateKey = copy.record.chatId;
    } else if (original.op === 'reply') {
      // Replied before chats were recorded: a fresh reply to the same message lands in the same place.
      operation = { ...original, msgType: 'interactive', content: op.content };
      rateKey = copy.record.rateKey;
    } else {
      await this.store.markFailed(record, `copy ${copyKey} is not a card message and cannot be sent afresh`);
      return 'failed';
    }
    if (await this.submit(freshKey, operation, rateKey, { copyOf: copyKey, shows: queueOrder(record) })) {
      await this.store.markSuperseded(record, freshKey);
      this.logger.info(
        { outboxKey: record.key, copyKey, freshKey },
        'card copy too old to update; a fresh card is sent instead',
      );
      return 'sent';
    }
    // A fresh card for this old message is already on its way (an earlier update): this update
    // applies to it once it is delivered, or fails with it.
    const fresh = await this.store.findByKey(freshKey);
    if (fresh?.status === 'failed') {
      await this.store.markFailed(record, `the fresh copy ${freshKey} could not be delivered`);
      return 'failed';
    }
    return this.waitForFresh(record, false);
  }

  private async waitForFresh(record: OutboxRecord, countAttempt: boolean): Promise<Outcome> {
    const now = this.clock.now().getTime();
    const due = now + FRESH_COPY_WAIT_MS;
    if (countAttempt && now >= giveUpAt(this.retry, record.createdAt)) {
      await this.store.markFailed(record, 'the card copy is too old and no fresh copy arrived');
      return 'failed';
    }
    await this.store.defer(record, new Date(due), 'waiting for a fresh copy of the card', countAttempt);
    this.wakeAt(due);
    return 'deferred';
  }

  /** Uploads a file once per content (in this process and, through the store, across them) and sends it. */
  private async sendFile(op: SendFileOperation, uuid: string): Promise<Performed> {
    const hash = createHash('sha256')
      .update(op.fileType)
      .update('\0')
      .update(op.fileName)
      .update('\0')
      .update(op.data)
      .digest('hex');
    let upload = this.uploading.get(hash);
    if (!upload) {
      upload = (async () => {
        const known = await this.store.uploadedFileKey(hash);
        if (known) return known;
        const fileKey = await this.api.uploadFile(op);
        await this.store.rememberUpload(hash, fileKey);
        return fileKey;
      })();
      this.uploading.set(hash, upload);
      const done = () => void this.uploading.delete(hash);
      upload.then(done, done);
    }
    return this.api.sendUploadedFile(op, await upload, uuid);
  }

  /**
   * Moves delivered records left over from before they moved at once, and failures past the
   * 未送达 window, out of the hot collection. The loop runs it hourly; tests call it directly.
   */
  async housekeep(): Promise<number> {
    let moved = 0;
    for (
      let batch = await this.store.housekeep(KEEP_FAILED_MS);
      batch > 0;
      batch = await this.store.housekeep(KEEP_FAILED_MS)
    )
      moved += batch;
    if (moved > 0) this.logger.info({ moved }, 'outbox records moved out of the hot collection');
    return moved;
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
      let housekeptAt = Number.NEGATIVE_INFINITY;
      while (this.running) {
        try {
          if (this.clock.now().getTime() - housekeptAt >= HOUSEKEEPING_EVERY_MS) {
            housekeptAt = this.clock.now().getTime();
            await this.housekeep();
          }
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
