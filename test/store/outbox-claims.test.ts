import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { bindModels, ensureIndexes } from '../../src/store/models/index.js';
import { outboxMessageModel } from '../../src/store/models/outbox-message.js';
import { OutboxStore } from '../../src/store/outbox-store.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * Two workers on two connections race to claim the same due message, on the run's test
 * server (the embedded FerretDB unless MONGODB_URI names a MongoDB). FerretDB 1.24 may grant a
 * findOneAndUpdate to both connections; the outbox's lease insert must let exactly one win.
 */

let db: TestDatabase;
let other: mongoose.Connection;
const clock = new ManualClock('2026-12-01T02:00:00Z');

beforeAll(async () => {
  db = await openTestDatabase();
  await ensureIndexes(bindModels(db.connection));
  other = await mongoose.createConnection(db.uri).asPromise();
});
afterAll(async () => {
  await other?.close();
  await db?.close();
});

describe('outbox claims across connections', () => {
  it('gives each due message to exactly one of two racing workers, 100 times out of 100', async () => {
    const a = new OutboxStore(outboxMessageModel(db.connection), clock);
    const b = new OutboxStore(outboxMessageModel(other), clock);
    const winners: number[] = [];
    for (let i = 0; i < 100; i++) {
      // Queued held back (not born claimed), so only a sweep's claim can take it.
      const queued = await a.enqueue(
        `race:${i}`,
        { op: 'send', receiveIdType: 'chat_id', receiveId: 'oc_race', msgType: 'text', content: '{"text":"x"}' },
        'oc_race',
        {
          notBefore: clock.now(),
        },
      );
      expect(queued).not.toBeNull();
      const claimed = await Promise.all([a.claimDue(), b.claimDue()]);
      winners.push(claimed.filter((r) => r?.key === `race:${i}`).length);
    }
    expect(winners.filter((n) => n !== 1)).toEqual([]);
  });

  it('hands a message whose worker died to exactly one other worker once the lock has passed', async () => {
    const a = new OutboxStore(outboxMessageModel(db.connection), clock, 60_000);
    const b = new OutboxStore(outboxMessageModel(other), clock, 60_000);
    await outboxMessageModel(db.connection).deleteMany({});
    const operation = {
      op: 'send' as const,
      receiveIdType: 'chat_id' as const,
      receiveId: 'oc_race',
      msgType: 'text',
      content: '{"text":"x"}',
    };
    // Born claimed by a worker that then dies before sending.
    expect(await a.enqueue('orphan:1', operation, 'oc_race', { claimNow: true })).not.toBeNull();
    expect(await Promise.all([a.claimDue(), b.claimDue()])).toEqual([null, null]);
    clock.advance(60_000);
    const claimed = (await Promise.all([a.claimDue(), b.claimDue()])).filter((r) => r?.key === 'orphan:1');
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ status: 'sending', attempts: 2, claims: 2 });
  });
});
