import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkWriteInSlices, SAFE_BULK_STATEMENTS } from '../../src/store/bulk-write.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * Writes that grow with the data (a re-imported directory, a rebuild's corrections) update
 * hundreds of existing documents. On the embedded database one bulkWrite of that many updates
 * never returns (FerretDB 1.24), so they go in slices; on MongoDB the same code just works.
 */

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe('bulk writes in slices', () => {
  it('updates and replaces 300 existing documents, every one of them', async () => {
    const rows = db.connection.collection<{ _id: string; n: number }>('slices');
    await rows.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: `r${i}`, n: 0 })));

    await bulkWriteInSlices(
      rows,
      Array.from({ length: 300 }, (_, i) =>
        i % 2
          ? { updateOne: { filter: { _id: `r${i}` }, update: { $set: { n: i } } } }
          : { replaceOne: { filter: { _id: `r${i}` }, replacement: { n: i } } },
      ),
    );

    const stored = await rows.find({}).sort({ n: 1 }).toArray();
    expect(stored.map((r) => r.n)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(SAFE_BULK_STATEMENTS).toBeLessThan(45); // 45 updates in one command were the most seen to complete
  });

  it('goes on past a slice whose error the caller tolerates, and stops at one it does not', async () => {
    const rows = db.connection.collection<{ _id: string; n: number }>('tolerated');
    await rows.insertOne({ _id: 'taken', n: 0 });
    const inserts = ['taken', ...Array.from({ length: 60 }, (_, i) => `new${i}`)].map((id) => ({
      insertOne: { document: { _id: id, n: 1 } },
    }));
    const duplicate = (error: unknown) => (error as { code?: number }).code === 11000;

    await bulkWriteInSlices(rows, inserts, duplicate);
    expect(await rows.countDocuments({ n: 1 })).toBe(60);
    await expect(bulkWriteInSlices(rows, inserts)).rejects.toThrow();
  });
});
