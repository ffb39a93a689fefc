/** True for MongoDB's E11000: a unique index refused the write because the key exists. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
