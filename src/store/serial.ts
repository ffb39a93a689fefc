/**
 * Runs async sections one at a time within this process.
 *
 * Why: MongoDB applies a single-document findOneAndUpdate atomically, but the embedded
 * FerretDB (SQLite) does not: concurrent conditional updates of one document can all
 * succeed. Claims that must go to exactly one worker are therefore serialised in-process,
 * and cross-instance guarantees rest on unique-index inserts (atomic on both servers).
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section, section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
