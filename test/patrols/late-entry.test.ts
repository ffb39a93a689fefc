import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { DirectoryStore } from '../../src/store/directory-store.js';
import { PatrolStore } from '../../src/store/patrol-store.js';
import { gatherFacts } from '../../src/workflows/assessment/assessment-facts.js';
import { parseSchemeYaml } from '../../src/workflows/assessment/scheme-yaml.js';
import { importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * Backdating is visible: a patrol dated outside the period it is entered in (补记) needs a
 * reason; the card and the 巡河台账 show when it happened and when it was entered; the
 * assessment scheme decides whether late entries count.
 */

const clock = new ManualClock('2026-12-02T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const duty = { d: 'townshipChief:wu-yonghe:dadu-jinkouhe', p: '2026-12' };

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

// Sequential: the 巡河台账 test lists the late entry the first test recorded.
describe.sequential('a patrol entered after its period (补记)', () => {
  it('is refused without a 补记说明, and recorded with one, the card saying when it happened and when it was entered', async () => {
    const values = { date: '2026-01-15 +0800', observations: '河面整洁', problems: '' };
    const missing = await tap('wu', { a: 'patrol.submit', ...duty }, values, 'om_form_1');
    expect(missing.toast).toEqual({
      type: 'error',
      content: '巡河日期1月15日不在本期（2026年12月）内，属于补记，请填写补记说明',
    });
    expect(await t.bot.models.patrols.countDocuments()).toBe(0);

    const done = await tap(
      'wu',
      { a: 'patrol.submit', ...duty },
      { ...values, lateReason: '当月纸质记录，现补录' },
      'om_form_2',
    );
    expect(done.toast?.content).toBe('巡河已记录');
    expect(text(done.card)).toContain('已补记1月15日的巡河（12月2日录入），计入2026年1月');
    const patrol = (await t.bot.models.patrols.findOne().lean())!;
    expect(patrol).toMatchObject({ late: true, lateReason: '当月纸质记录，现补录', periods: { month: '2026-01' } });
    expect(patrol.createdAt.toISOString()).toBe(clock.now().toISOString());
  });

  it('shows the entry day and the 补记说明 in the 巡河台账', async () => {
    // An ordinary patrol of this month, entered the same day: no 补记说明 needed.
    const onTime = await tap(
      'wu',
      { a: 'patrol.submit', ...duty },
      { date: '2026-12-01 +0800', observations: '岸坡完好', problems: '' },
      'om_form_3',
    );
    expect(onTime.toast?.content).toBe('巡河已记录');
    expect(text(onTime.card)).toContain('巡河已记录（12月1日，本人记录）');

    const sent = await say('qian', { text: '/导出 巡河台账 2026年' });
    const file = sent.find((m) => m.msgType === 'file');
    const upload = t.fake.upload((file?.content as { file_key: string }).file_key)!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(upload.bytes as unknown as ArrayBuffer);
    const rows: string[][] = [];
    book.worksheets[0]!.eachRow((row) =>
      rows.push(
        (row.values as Array<string | number | null | undefined>)
          .slice(1)
          .map((v) => (v === null || v === undefined ? '' : String(v))),
      ),
    );
    expect(rows[1]?.slice(4, 7)).toEqual(['巡河日期', '录入日期', '补记说明']);
    expect(rows.slice(2).map((r) => r.slice(4, 7))).toEqual([
      ['2026-01-15', '2026-12-02', '当月纸质记录，现补录'],
      ['2026-12-01', '2026-12-02', ''],
    ]);
  });

  it('counts for the assessment unless the scheme says lateEntries: ignore', async () => {
    const example = readFileSync(new URL('../../examples/assessment-scheme.yaml', import.meta.url), 'utf8');
    const parsed = parseSchemeYaml(example);
    expect(parsed.ok && parsed.scheme.lateEntries).toBe('count');
    const ignoring = parseSchemeYaml(`${example}\nlateEntries: ignore\n`);
    expect(ignoring.ok && ignoring.scheme.lateEntries).toBe('ignore');
    expect(parseSchemeYaml(`${example}\nlateEntries: sometimes\n`)).toEqual({
      ok: false,
      problems: ['lateEntries：补记的巡河是否计入考核（lateEntries）应为 count（计入）或 ignore（不计入）'],
    });

    const directory = (await new DirectoryStore(t.bot.models, clock).loadDirectory())!;
    const sources = {
      issues: t.bot.stores.issues,
      patrols: new PatrolStore(t.bot.models, clock),
      sanctions: t.bot.stores.sanctions,
      timeZone: 'Asia/Shanghai',
    };
    const january = async (lateEntries: 'count' | 'ignore') => {
      const facts = await gatherFacts(directory, 2026, clock.now(), sources, undefined, undefined, lateEntries);
      return facts
        .find((f) => f.unitId === 'yonghe')!
        .duties.find((d) => d.period === '2026年1月' && d.record.includes('大渡河'))?.fulfilled;
    };
    expect(await january('count')).toBe(true);
    expect(await january('ignore')).toBe(false);
  });
});
