import type { Clock } from '../domain/clock.js';
import type { ClaimModels } from './models/claim.js';
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
}
