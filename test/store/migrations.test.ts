import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { type Migration, runMigrations } from '../../src/store/migrations/migration.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/** Run-once data changes: each runs until it completes, then is recorded and not run again. */

const clock = new ManualClock('2026-03-10T10:00:00+08:00');
let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

function counting(id: string, results: Array<{ changed: number; complete: boolean }>, order: string[] = []) {
  const runs: number[] = [];
  const migration: Migration = {
    id,
    run: () => {
      order.push(id);
      const result = results[runs.length] ?? { changed: 0, complete: true };
      runs.push(result.changed);
      return Promise.resolve(result);
    },
  };
  return { migration, runs };
}

describe('migrations', () => {
  it('run once, in the order of their ids, and are recorded with what they changed', async () => {
    const order: string[] = [];
    const first = counting('2026-11-01-first', [{ changed: 3, complete: true }], order);
    const second = counting('2026-12-01-second', [{ changed: 0, complete: true }], order);
    // Declared out of order (by two features), run by id.
    const run = () => runMigrations(db.connection.db!, [second.migration, first.migration], clock, silentLogger());
    await run();
    await run();
    expect(order).toEqual(['2026-11-01-first', '2026-12-01-second']);
    expect([first.runs, second.runs]).toEqual([[3], [0]]);
    const record = await db.connection.collection('migrations').find({}).sort({ _id: 1 }).toArray();
    expect(record).toEqual([
      { _id: '2026-11-01-first', at: clock.now(), changed: 3 },
      { _id: '2026-12-01-second', at: clock.now(), changed: 0 },
    ]);
  });

  it('run again at the next start while they could not complete', async () => {
    const waiting = counting('waiting', [
      { changed: 0, complete: false },
      { changed: 2, complete: true },
    ]);
    const run = () => runMigrations(db.connection.db!, [waiting.migration], clock, silentLogger());
    await run();
    expect(await db.connection.collection('migrations').countDocuments({ _id: 'waiting' as never })).toBe(0);
    await run();
    await run();
    expect(waiting.runs).toEqual([0, 2]);
    expect(await db.connection.collection('migrations').countDocuments({ _id: 'waiting' as never })).toBe(1);
  });
});
