import type { Clock } from '../domain/clock.js';
import type { Logger } from '../log/logger.js';
import type { InboxStore } from '../store/inbox-store.js';
import { Semaphore } from '../support/semaphore.js';
import { CARD_ACTION_EVENT, type EventDispatcher } from './dispatcher.js';
import type { CallbackAnswer } from './inbound.js';
import type { InboundEvent } from './transport/envelope.js';
import { withoutNul } from './without-nul.js';

const INTERNAL_ERROR_TOAST: CallbackAnswer = {
  toast: { type: 'error', content: '系统繁忙，操作未完成，请稍后再试。' },
};

/**
 * Where every verified event enters, from the webhook or the long connection. It claims the
 * event id once (a retried or doubled delivery is acknowledged and dropped), then:
 * - card callbacks run at once, because Feishu shows their answer (toast, new card);
 * - everything else is acknowledged first and processed in the background, so Feishu gets
 *   its 200 well inside 3 seconds. A failure is recorded and retried by the inbox sweep job.
 */
export class EventIntake {
  private readonly inFlight = new Set<Promise<void>>();
  /**
   * Background events processed at once. Bounding them keeps a burst from flooding the
   * database, so the claim that acknowledges each new delivery is never stuck behind it.
   */
  private readonly slots: Semaphore;

  constructor(
    private readonly inbox: InboxStore,
    private readonly dispatcher: EventDispatcher,
    private readonly logger: Logger,
    private readonly options: { concurrency: number; clock: Clock; lockMs: number },
  ) {
    this.slots = new Semaphore(options.concurrency);
  }

  async receive(event: InboundEvent): Promise<CallbackAnswer> {
    const answered = event.type === CARD_ACTION_EVENT;
    // A card callback is done or failed before its answer goes back: its id is all it keeps (see claimAnswered).
    const fresh = answered
      ? await this.inbox.claimAnswered(event.id)
      : await this.inbox.claim(event.id, event.type, event.body);
    const raw = event.body;
    // The database refuses NUL in strings; nothing past this point sees one.
    event = { ...event, body: withoutNul(event.body) };
    if (!fresh) {
      this.logger.info({ eventId: event.id, eventType: event.type }, 'duplicate delivery acknowledged, not processed');
      return {};
    }
    if (answered) {
      try {
        return await this.dispatcher.dispatch(event);
      } catch (error) {
        this.logger.error(
          { eventId: event.id, eventType: event.type, attempt: 1, err: error },
          'event processing failed',
        );
        await this.inbox.recordFailedAnswer(event.id, event.type, raw, detailOf(error)).catch((markError: unknown) => {
          this.logger.error({ eventId: event.id, err: markError }, 'could not record the failure');
        });
        return INTERNAL_ERROR_TOAST;
      }
    }
    const claimedAt = this.options.clock.now().getTime();
    this.track(
      this.slots.run(async () => {
        // Waited so long that its claim may lapse: leave it to the retry sweep, never run it twice.
        if (this.options.clock.now().getTime() - claimedAt > this.options.lockMs / 2) return;
        await this.process(event, 1);
      }),
    );
    return {};
  }

  /** Re-runs events that failed or were abandoned by a crashed worker. Called by a job. */
  async retryDue(): Promise<number> {
    let count = 0;
    for (let claimed = await this.inbox.claimForRetry(); claimed; claimed = await this.inbox.claimForRetry()) {
      const event: InboundEvent = {
        id: claimed.id,
        type: claimed.type,
        version: 'v2',
        createdAt: claimed.receivedAt,
        appId: undefined,
        body: withoutNul(claimed.body),
      };
      // A card callback kept by an earlier version and retried has no one waiting; run it for its effects.
      await this.process(event, claimed.attempts);
      count += 1;
    }
    return count;
  }

  /** Resolves when every background event taken so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /**
   * An event processed in the background: a failure is recorded and retried by the sweep.
   * (A card callback with a person waiting is answered in receive(): on failure they get an
   * error toast and the tap is not replayed later behind their back.)
   */
  private async process(event: InboundEvent, attempt: number): Promise<void> {
    try {
      await this.dispatcher.dispatch(event);
      await this.inbox.markDone(event.id);
    } catch (error) {
      this.logger.error({ eventId: event.id, eventType: event.type, attempt, err: error }, 'event processing failed');
      await this.inbox.markFailed(event.id, attempt, detailOf(error)).catch((markError: unknown) => {
        this.logger.error({ eventId: event.id, err: markError }, 'could not record the failure');
      });
    }
  }
}

function detailOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
