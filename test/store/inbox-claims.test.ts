import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { InboxStore } from '../../src/store/inbox-store.js';
import { bindModels, ensureIndexes } from '../../src/store/models/index.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * Two connections (as two bot instances would hold) race for the same inbox events. The
 * embedded FerretDB applies findOneAndUpdate non-atomically across connections, so only a
 * unique-key insert may decide; every event must go to exactly one of them.
 */

const ROUNDS = 100;
const clock = new ManualClock('2026-05-01T09:00:00+08:00');
let db: TestDatabase;
let other: mongoose.Connection;
let a: InboxStore;
let b: InboxStore;

beforeAll(async () => {
  db = await openTestDatabase();
  other = await mongoose.createConnection(db.uri).asPromise();
  const modelsA = bindModels(db.connection);
  await ensureIndexes(modelsA);
  a = new InboxStore(modelsA, clock, { owner: 'a' });
  b = new InboxStore(bindModels(other), clock, { owner: 'b' });
});
afterAll(async () => {
  await other?.close();
  await db?.close();
});

describe('inbox claims across two connections', () => {
  it('gives each delivery to exactly one of two receivers, 100 times', async () => {
    const winners: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const id = `race-${i}`;
      const results = await Promise.all([a.claim(id, 'im.message.receive_v1', { i }), b.claim(id, 'im.message.receive_v1', { i })]);
      winners.push(results.filter(Boolean).length);
    }
    expect(winners.every((n) => n === 1)).toBe(true);
  });

  it('gives each retry attempt to exactly one of two sweepers, 100 times', async () => {
    for (let i = 0; i < ROUNDS; i++) await a.markFailed(`race-${i}`, 1, 'database hiccup');
    clock.advance(60_000);
    const taken = new Map<string, number>();
    // Both sweep until nothing is due: every failed event is retried once, by one of them.
    await Promise.all(
      [a, b].map(async (store) => {
        for (let claimed = await store.claimForRetry(); claimed; claimed = await store.claimForRetry()) {
          expect(claimed.attempts).toBe(2);
          taken.set(claimed.id, (taken.get(claimed.id) ?? 0) + 1);
          await store.markDone(claimed.id);
        }
      }),
    );
    expect(taken.size).toBe(ROUNDS);
    expect([...taken.values()].every((n) => n === 1)).toBe(true);
    expect(await a.stateOf('race-0')).toEqual({ status: 'done' });
  });

  it('still drops a redelivery of a done event', async () => {
    expect(await Promise.all([a.claim('race-7', 'im.message.receive_v1', {}), b.claim('race-7', 'im.message.receive_v1', {})])).toEqual([false, false]);
  });
});
