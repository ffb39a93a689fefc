/**
 * Why the bot will not open a data directory's store, in Chinese for the operator and in
 * English for logs and searches. Thrown instead of falling back to another (empty) store:
 * a bot that starts on the wrong store tells the district its directory was never imported.
 */
export class StoreRefusal extends Error {
  constructor(
    /** What happened and what to do, in Chinese. */
    readonly zh: string,
    /** The same in English. */
    readonly en: string,
    options?: ErrorOptions,
  ) {
    super(`${zh}\n${en}`, options);
    this.name = 'StoreRefusal';
  }
}

export function isStoreRefusal(error: unknown): error is StoreRefusal {
  return error instanceof StoreRefusal;
}
