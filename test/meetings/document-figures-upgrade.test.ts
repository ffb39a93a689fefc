import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { FakeFeishu } from '../../src/feishu/fake/fake-feishu.js';
import { DocumentStore } from '../../src/store/document-store.js';
import { draftMinutes } from '../factories/document.js';
import { startTestBot, TEST_APP } from '../helpers/bot.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { importExampleDistrict } from '../helpers/district.js';

/**
 * Upgrading to the document figures: minutes published before the read model existed are
 * counted by /简报 from the first start (the upgrade gives them their month and builds the months).
 */

const TZ = 'Asia/Shanghai';
const clock = new ManualClock('2026-11-10T10:00:00+08:00');
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

describe('document figures on upgrade', () => {
  it('are built at the first start from the documents already published', async () => {
    const before = await startTestBot({ mongoUri: db.uri, fake, clock, name: 'old' });
    await importExampleDistrict(fake, before.bot.models, clock);
    const documents = new DocumentStore(before.bot.models, TZ);
    // The last at 17:00 UTC on 30 November: 1 December in the district, so not November's.
    for (const [id, at] of [
      ['doc-a', '2026-11-10T10:00:00+08:00'],
      ['doc-b', '2026-11-20T15:00:00+08:00'],
      ['doc-c', '2026-12-01T01:00:00+08:00'],
    ] as const) {
      await documents.create(draftMinutes(id, clock.now()));
      const doc = (await documents.get(id))!;
      await documents.applyChange(
        doc,
        { state: 'published', publishedAt: new Date(at) },
        { at: new Date(at), by: 'zhao', action: 'approve', from: doc.state, to: 'published', note: null },
      );
    }
    await before.close();

    // The state of a database written by a version without document figures.
    const raw = db.connection.db!;
    await raw.collection('documents').updateMany({}, { $unset: { publishedMonth: '' } });
    await raw.collection('document_figures_month').deleteMany({});
    await raw.collection('migrations').deleteMany({ _id: '2026-12-02-document-figures' as never });

    const after = await startTestBot({ mongoUri: db.uri, fake, clock, name: 'new' });
    try {
      expect(await raw.collection('documents').countDocuments({ publishedMonth: '2026-11' })).toBe(2);
      clock.set(new Date('2026-12-01T09:05:00+08:00'));
      expect(await after.bot.digest.sendIfDue(clock.now())).toBe(true);
      await after.settle();
      const digest = fake
        .messages()
        .find((m) => m.chatId === 'oc_example_hezhangban' && JSON.stringify(m.content).includes('月度简报'));
      expect(JSON.stringify(digest?.content)).toContain('印发纪要和文件 2 份');
    } finally {
      await after.close();
    }
  });
});
