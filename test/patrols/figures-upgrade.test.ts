import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { patrolPeriods } from '../../src/domain/patrols/patrol.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { PatrolStore } from '../../src/store/patrol-store.js';
import { startTestBot, TEST_APP } from '../helpers/bot.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { importExampleDistrict } from '../helpers/district.js';

/**
 * Upgrading to the patrol figures: patrols recorded before the read model existed are counted
 * from the first start, so the first sweep does not remind a chief who has already patrolled.
 */

const TZ = 'Asia/Shanghai';
const clock = new ManualClock('2026-11-24T09:05:00+08:00');
let db: TestDatabase;
let fake: FakeFeishu;

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await FakeFeishu.start({ appId: TEST_APP.appId, appSecret: TEST_APP.appSecret });
});
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});

describe('patrol figures on upgrade', () => {
  it('are built at the first start from the patrols already recorded', async () => {
    const before = await startTestBot({ mongoUri: db.uri, fake, clock, name: 'old' });
    await importExampleDistrict(fake, before.bot.models, clock);
    const when = new Date('2026-11-10T09:00:00+08:00');
    await new PatrolStore(before.bot.models, clock).record(
      {
        chiefId: 'li-hezhang',
        role: 'riverChief',
        waterBodyId: 'dadu-jinkouhe',
        recordedBy: 'li-hezhang',
        patrolledAt: when,
        observations: '河面整洁',
        problems: [],
        photoKeys: [],
      },
      patrolPeriods(when, TZ),
    );
    await before.close();

    // The state of a database written by a version without figures.
    const raw = db.connection.db!;
    await raw.collection('patrol_figures').deleteMany({});
    await raw.collection('migrations').deleteMany({ _id: '2026-12-02-patrol-figures' as never });

    const after = await startTestBot({ mongoUri: db.uri, fake, clock, name: 'new' });
    try {
      expect(await raw.collection('patrol_figures').countDocuments({ chiefId: 'li-hezhang' })).toBeGreaterThan(0);
      await after.bot.patrols.sweep(clock.now());
      await after.settle();
      const reminders = fake.messages().filter((m) => JSON.stringify(m.content).includes('巡河提醒'));
      // Eight monthly duties in the example; 李某某 has patrolled 大渡河 this month.
      expect(reminders).toHaveLength(7);
      expect(reminders.some((m) => JSON.stringify(m.content).includes('李某某'))).toBe(false);
    } finally {
      await after.close();
    }
  });
});
