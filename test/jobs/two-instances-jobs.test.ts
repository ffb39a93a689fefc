import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { silentLogger } from '../../src/log/logger.js';
import { startTestBot, TEST_APP, type TestBot } from '../helpers/bot.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * Two bot instances on one embedded database. Agenda creates and locks its jobs with
 * findOneAndUpdate, which FerretDB does not apply atomically across connections; still each
 * job has one document and each due time runs on one instance.
 */

let db: TestDatabase;
let fake: FakeFeishu;
let a: TestBot;
let b: TestBot;

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret });
  // Started at the same moment, so both schedule every job at once.
  [a, b] = await Promise.all([
    startTestBot({ mongoUri: db.uri, fake, name: 'a' }),
    startTestBot({ mongoUri: db.uri, fake, name: 'b' }),
  ]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await fake?.stop();
  await db?.close();
});

/** The recurring jobs the features declare: the scheduler's catalogue. */
const recurring = () => a.bot.scheduler.jobs.filter((d) => d.every);

describe('scheduled jobs across two instances', () => {
  it('keeps one job document per job', async () => {
    const docs = await db.connection
      .collection('agenda_jobs')
      .find({}, { projection: { name: 1 } })
      .toArray();
    const names = docs.map((d) => String(d.name)).sort();
    expect(names).toEqual(
      recurring()
        .map((d) => d.name)
        .sort(),
    );
  });

  it('keeps one job document per job however often two schedulers start at the same moment', async () => {
    const other = await mongoose.createConnection(db.uri).asPromise();
    const idle = a.bot.scheduler.jobs.map((job) => ({ ...job, run: () => Promise.resolve(0) }));
    try {
      for (let round = 0; round < 5; round++) {
        await db.connection.collection('agenda_jobs').drop();
        const schedulers = [db.connection, other].map(
          (c, i) =>
            new Scheduler(c.db!, idle, silentLogger(), {
              timezone: 'Asia/Shanghai',
              processEvery: '1 hour',
              name: `s${i}`,
            }),
        );
        await Promise.all(schedulers.map((s) => s.start()));
        await Promise.all(schedulers.map((s) => s.stop()));
        expect(await db.connection.collection('agenda_jobs').countDocuments()).toBe(recurring().length);
      }
    } finally {
      await other.close();
    }
  });

  it('keeps one job document when a third instance starts beside them', async () => {
    const c = await startTestBot({ mongoUri: db.uri, fake, name: 'c' });
    await c.close();
    expect(await db.connection.collection('agenda_jobs').countDocuments()).toBe(recurring().length);
  });

  it('runs each job once per due time when both instances run it at once', async () => {
    const once = a.bot.scheduler.jobs.filter((d) => d.once !== false);
    for (let round = 0; round < 10; round++) {
      const occurrence = new Date(Date.UTC(2026, 0, 5, 1, round * 10));
      for (const job of once) {
        const ran = await Promise.all([
          a.bot.scheduler.runDue(job.name, occurrence, occurrence),
          b.bot.scheduler.runDue(job.name, occurrence, occurrence),
        ]);
        expect(ran.filter(Boolean)).toHaveLength(1);
      }
    }
    // Count only this test's occurrences: Agenda on the two instances also runs jobs that
    // fall due on the wall clock meanwhile, and records those runs in the same collection.
    const ids = once.flatMap((job) =>
      Array.from(
        { length: 10 },
        (_, round) => `${job.name}@${new Date(Date.UTC(2026, 0, 5, 1, round * 10)).toISOString()}`,
      ),
    );
    const runs = db.connection.collection<{ _id: string }>('job_runs');
    expect(await runs.countDocuments({ _id: { $in: ids } })).toBe(10 * once.length);
  });
});
