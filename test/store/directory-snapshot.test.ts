import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { DirectoryStore } from '../../src/store/directory-store.js';
import { bindModels, ensureIndexes, type Models } from '../../src/store/models/index.js';
import { TEST_APP } from '../helpers/bot.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { importExampleDistrict } from '../helpers/district.js';

/**
 * Every tap reads the directory, so each instance keeps it in memory and checks only the
 * import revision. Two instances on one database: an import through one is seen by the
 * other on its next read, never an old roster.
 */

let db: TestDatabase;
let other: mongoose.Connection;
let fake: FakeFeishu;
let here: Models;
let there: Models;
const clock = new ManualClock('2026-12-01T02:00:00Z');

beforeAll(async () => {
  db = await openTestDatabase();
  here = bindModels(db.connection);
  await ensureIndexes(here);
  other = await mongoose.createConnection(db.uri).asPromise();
  there = bindModels(other);
  fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret });
});
afterAll(async () => {
  await fake?.stop();
  await other?.close();
  await db?.close();
});

const nameOf = (directory: Awaited<ReturnType<DirectoryStore['loadDirectory']>>, id: string) =>
  directory?.people.find((p) => p.id === id)?.name;

describe('the directory each instance keeps in memory', () => {
  it('is read once, and again only after an import, by whichever instance made it', async () => {
    const instance = new DirectoryStore(here, clock);
    await importExampleDistrict(fake, there, clock);

    const first = await instance.loadDirectory();
    expect(nameOf(first, 'li-hezhang')).toBe('李某某');
    expect(await instance.loadDirectory()).toBe(first); // the same snapshot, not read again

    // The other instance imports a renamed chief.
    await importExampleDistrict(fake, there, clock, (yaml) => yaml.replace('name: 李某某', 'name: 李新任'));

    const after = await instance.loadDirectory();
    expect(after).not.toBe(first);
    expect(nameOf(after, 'li-hezhang')).toBe('李新任');
  });

  it('keeps a directory imported before revisions were recorded, from its next read on', async () => {
    const instance = new DirectoryStore(here, clock);
    await there.settings.updateOne({ _id: 'current' }, { $set: { revision: null } });

    const first = await instance.loadDirectory();
    expect(first).toBeDefined();
    expect(await instance.loadDirectory()).toBe(first);
    expect((await there.settings.findById('current').lean())?.revision).toEqual(expect.any(String));
  });
});
