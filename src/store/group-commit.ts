import type { Collection, Filter } from 'mongodb';

/** Documents per command at most; a burst larger than this goes in several. */
const MAX_BATCH = 100;

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes asked for while one command is on its way go together in the next.
 * A lone write leaves at once, so nothing waits when the database keeps up; under load the
 * embedded database (where each command costs a transaction) gets one command per batch
 * instead of one per event. Each caller still resolves only once its own write is stored.
 */
export class GroupCommit<T, R> {
  private queue: Array<Waiting<T, R>> = [];
  private running = false;

  constructor(
    /** Writes a batch in one command and says, per item in order, what became of it (or throws for all). */
    private readonly write: (items: T[]) => Promise<Array<R | Error>>,
  ) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const results = await this.write(batch.map((w) => w.item));
        batch.forEach((w, i) => {
          const result = results[i];
          if (result instanceof Error) w.reject(result);
          else w.resolve(result as R);
        });
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
  }
}

/** A write error the driver reports for one document of a batch. */
interface WriteErrorLike {
  index: number;
  code?: number;
  errmsg?: string;
}

function writeErrorsOf(error: unknown): WriteErrorLike[] | undefined {
  const errors = (error as { writeErrors?: WriteErrorLike | WriteErrorLike[] } | null)?.writeErrors;
  if (errors === undefined) return undefined;
  return Array.isArray(errors) ? errors : [errors];
}

/**
 * Inserts by unique `_id`, batched: each caller learns whether its document went in (true)
 * or its `_id` was taken (false), exactly as a lone insert would tell it. Unordered, so one
 * taken `_id` does not hold back the others.
 */
export function batchedInsert<D extends { _id: string }>(collection: Collection<D>): GroupCommit<D, boolean> {
  return new GroupCommit<D, boolean>(async (docs) => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's OptionalUnlessRequiredId<D> for a string _id
      await collection.insertMany(docs as any[], { ordered: false });
      return docs.map(() => true);
    } catch (error) {
      const failed = writeErrorsOf(error);
      // Not a per-document refusal (a lost connection): nobody knows what was stored.
      if (!failed) throw error;
      const results: Array<boolean | Error> = docs.map(() => true);
      for (const e of failed)
        results[e.index] =
          e.code === 11000 ? false : Object.assign(new Error(e.errmsg ?? 'insert refused'), { code: e.code });
      return results;
    }
  });
}

/** Deletes by `_id`, batched in one command of single-document deletes (each found by `_id`). */
export function batchedDeleteById<D extends { _id: string }>(collection: Collection<D>): GroupCommit<string, void> {
  return new GroupCommit<string, void>(async (ids) => {
    await collection.bulkWrite(
      ids.map((id) => ({ deleteOne: { filter: { _id: id } as Filter<D> } })),
      { ordered: false },
    );
    return ids.map(() => undefined);
  });
}
