/** True for MongoDB's E11000: a unique index refused the write because the key exists. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * Sets fields on the document with this unique `key`, creating it if needed. Two writers
 * upserting the same new key at once make one insert fail on the unique index; that one
 * then updates the document the other created.
 */
export async function upsertByKey(
  model: {
    updateOne(
      filter: { key: string },
      update: { $set: object },
      options?: { upsert: boolean },
    ): { exec(): Promise<unknown> };
  },
  key: string,
  fields: object,
): Promise<void> {
  try {
    await model.updateOne({ key }, { $set: fields }, { upsert: true }).exec();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await model.updateOne({ key }, { $set: fields }).exec();
  }
}
