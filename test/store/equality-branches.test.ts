import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { equalityBranches } from '../../src/store/equality-branches.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The per-value branches a scoped /状态 reads by: on a real database, their counts add up to
 * the `$or` they replace, however the documents overlap (a problem on the viewer's water body,
 * assigned to and supervised by the viewer's unit, counts once).
 */

let db: TestDatabase;
const docs = [
  { _id: 'a', waterBodyId: 'w1', assigneeUnit: 'u1', supervisorUnits: ['u1', 'u2'] },
  { _id: 'b', waterBodyId: 'w1', assigneeUnit: 'x', supervisorUnits: [] },
  { _id: 'c', waterBodyId: 'w2', assigneeUnit: 'u2', supervisorUnits: ['u1'] },
  { _id: 'd', waterBodyId: 'w9', assigneeUnit: 'u1', supervisorUnits: ['u2'] },
  { _id: 'e', waterBodyId: 'w9', assigneeUnit: 'x', supervisorUnits: ['u2', 'u1'] },
  { _id: 'f', waterBodyId: 'w9', assigneeUnit: 'x', supervisorUnits: ['y'] },
  { _id: 'g', waterBodyId: null, assigneeUnit: null, supervisorUnits: ['u2'] },
];

beforeAll(async () => {
  db = await openTestDatabase();
  await db.connection.collection('branches').insertMany(docs as unknown as Array<Record<string, unknown>>);
});
afterAll(async () => {
  await db.close();
});

describe('equality branches', () => {
  it('match each document of the union exactly once', async () => {
    const collection = db.connection.collection('branches');
    for (const [waters, units] of [
      [
        ['w1', 'w2'],
        ['u1', 'u2'],
      ],
      [['w1'], []],
      [[], ['u2']],
      [['w9'], ['u1']],
    ] as const) {
      const atoms: Array<[string, string]> = [
        ...waters.map((w): [string, string] => ['waterBodyId', w]),
        ...units.map((u): [string, string] => ['assigneeUnit', u]),
        ...units.map((u): [string, string] => ['supervisorUnits', u]),
      ];
      const union = await collection
        .find({
          $or: [
            { waterBodyId: { $in: [...waters] } },
            { assigneeUnit: { $in: [...units] } },
            { supervisorUnits: { $in: [...units] } },
          ],
        })
        .toArray();
      const parts = await Promise.all(equalityBranches(atoms).map((filter) => collection.find(filter).toArray()));
      const ids = parts.flat().map((d) => String(d._id));
      expect(ids.sort()).toEqual(union.map((d) => String(d._id)).sort());
    }
  });
});
