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
      const results = await Promise.all([
        a.claim(id, 'im.message.receive_v1', { i }),
        b.claim(id, 'im.message.receive_v1', { i }),
      ]);
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

  it('claims each of many events arriving together once, repeats included, and keeps each payload', async () => {
    // Arriving together, the claims share database commands; each still learns its own fate.
    const ids = Array.from({ length: 60 }, (_, i) => `burst-${i % 20}`);
    const results = await Promise.all(
      ids.map((id, i) => (i % 2 === 0 ? a : b).claim(id, 'im.message.receive_v1', { id })),
    );
    const won = new Map<string, number>();
    ids.forEach((id, i) => results[i] && won.set(id, (won.get(id) ?? 0) + 1));
    expect(won.size).toBe(20);
    expect([...won.values()].every((n) => n === 1)).toBe(true);
    expect(await a.stateOf('burst-3')).toEqual({ status: 'processing', attempts: 1 });
    await Promise.all([...won.keys()].map((id) => a.markDone(id)));
    expect(await b.stateOf('burst-3')).toEqual({ status: 'done' });
  });

  it('claims an answered card callback once by its id alone', async () => {
    expect(await Promise.all([a.claimAnswered('tap-1'), b.claimAnswered('tap-1'), a.claimAnswered('tap-1')])).toEqual(
      expect.arrayContaining([true, false, false]),
    );
    expect(await a.stateOf('tap-1')).toEqual({ status: 'done' });
    await a.claimAnswered('tap-2');
    await a.recordFailedAnswer('tap-2', 'card.action.trigger', { $where: 'x' }, 'boom');
    // Kept for a person to look at; never retried.
    expect(await a.stateOf('tap-2')).toEqual({ status: 'failed', attempts: 1 });
    clock.advance(24 * 3_600_000);
    expect(await a.claimForRetry()).toBeNull();
  });

  it('still drops a redelivery of a done event', async () => {
    expect(
      await Promise.all([
        a.claim('race-7', 'im.message.receive_v1', {}),
        b.claim('race-7', 'im.message.receive_v1', {}),
      ]),
    ).toEqual([false, false]);
  });
});
