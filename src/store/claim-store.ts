import type { Clock } from '../domain/clock.js';
import type { ClaimDoc, ClaimModels } from './models/claim.js';
import { isDuplicateKey } from './mongo-errors.js';

/**
 * Once-only claims: the first caller to claim a key wins, on every instance. A unique-index
 * insert is atomic on MongoDB and on the embedded FerretDB alike, unlike a conditional update.
 */
export class ClaimStore {
  constructor(
    private readonly models: ClaimModels,
    private readonly clock: Clock,
  ) {}

  /** True when this call made the claim; false when someone already had. */
  async claim(key: string, by: string): Promise<boolean> {
    try {
      await this.models.claims.create({ _id: key, by, at: this.clock.now() });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Claims work that must take effect once and whose outcome a repeat is answered with (a
   * form submitted twice). `first` when this call holds the claim and must do the work, then
   * `settle` or `release` it; otherwise the first caller's result, or none while it is still
   * at work. A claim left unsettled longer than `abandonedAfterMs` (its process died midway)
   * is taken over, so the person can submit again.
   */
  async begin(
    key: string,
    by: string,
    abandonedAfterMs = ABANDONED_AFTER_MS,
  ): Promise<{ first: true } | { first: false; result?: string }> {
    if (await this.claim(key, by)) return { first: true };
    const held = await this.models.claims.findOne({ _id: key }).lean<ClaimDoc>().exec();
    if (!held) return (await this.claim(key, by)) ? { first: true } : { first: false };
    if (held.result != null) return { first: false, result: held.result };
    if (this.clock.now().getTime() - held.at.getTime() > abandonedAfterMs) {
      // The unique insert after the delete decides between two callers taking over at once.
      await this.models.claims.deleteOne({ _id: key, at: held.at, result: null }).exec();
      if (await this.claim(key, by)) return { first: true };
    }
    return { first: false };
  }

  /** Keeps the outcome of claimed work, for answering repeats. */
  async settle(key: string, result: string): Promise<void> {
    await this.models.claims.updateOne({ _id: key }, { $set: { result } }).exec();
  }

  /** Gives a claim up (the work was refused or failed), so the same work may be tried again. */
  async release(key: string): Promise<void> {
    await this.models.claims.deleteOne({ _id: key, result: null }).exec();
  }
}

/** Long past any callback's 3-second answer window: the claimant has surely died. */
const ABANDONED_AFTER_MS = 2 * 60_000;
