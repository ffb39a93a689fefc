import { bulkWriteInSlices } from '../bulk-write.js';
import { isDuplicateKey } from '../mongo-errors.js';

/**
 * Writes documents a rebuild computed: those missing are inserted in bulk (much cheaper than
 * upserts on the embedded database), those that differ are updated by key. An insert refused
 * because a concurrent change created the document meanwhile is retried as an update.
 */
export async function writeRebuilt<T extends { key: string }>(
  model: { collection: unknown },
  missing: readonly T[],
  differing: readonly T[],
): Promise<void> {
  const BATCH = 1000;
  // The driver's collection: the documents are computed whole, and mongoose's casting of a
  // province's sheets would cost more than writing them.
  const collection = model.collection as {
    insertMany(docs: object[], options: { ordered: false }): Promise<unknown>;
    bulkWrite(ops: object[], options: { ordered: false }): Promise<unknown>;
  };
  const update = async (docs: readonly T[]) => {
    for (let i = 0; i < docs.length; i += BATCH) {
      const ops = docs
        .slice(i, i + BATCH)
        .map(({ key, ...fields }) => ({ updateOne: { filter: { key }, update: { $set: fields }, upsert: true } }));
      await bulkWriteInSlices(collection, ops);
    }
  };
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    try {
      await collection.insertMany(
        batch.map((doc) => ({ ...doc })),
        { ordered: false },
      );
    } catch (error) {
      if (!isDuplicateKey(error) && !isBulkDuplicate(error)) throw error;
      await update(batch);
    }
  }
  await update(differing);
}

function isBulkDuplicate(error: unknown): boolean {
  const errors = (error as { writeErrors?: Array<{ code?: unknown; err?: { code?: unknown } }> }).writeErrors;
  return Array.isArray(errors) && errors.every((e) => (e.code ?? e.err?.code) === 11000);
}
