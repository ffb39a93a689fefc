import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { PatrolStore } from '../../src/store/patrol-store.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * /问题 lists, /议定 and /会议 through the fake Feishu: forgiving names, typos, ambiguous
 * names with a choice card, and each person seeing only what is theirs.
 */

const clock = new ManualClock('2026-12-01T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const openId = exampleOpenId;

/** The seeded problems; expected answers below are worked out from this list, not from the bot. */
const SEED: Array<{ key: string; water: string; unit?: string; due?: { year: number; month: number; day: number } }> = [
  { key: 'A', water: 'dadu-jinkouhe', unit: 'yonghe', due: { year: 2026, month: 12, day: 10 } },
  { key: 'B', water: 'dadu-jinkouhe', unit: 'gongan', due: { year: 2026, month: 12, day: 20 } },
  { key: 'C', water: 'yeniu', unit: 'jinhe', due: { year: 2026, month: 12, day: 5 } },
  { key: 'D', water: 'dadu-jinkouhe', unit: 'natural-resources-bureau', due: { year: 2026, month: 12, day: 3 } },
  { key: 'E', water: 'baixionggou', unit: undefined, due: undefined },
];
const TODAY = { year: 2026, month: 12, day: 8 };
const overdue = (s: (typeof SEED)[number]) =>
  !!s.due && (s.due.month < TODAY.month || (s.due.month === TODAY.month && s.due.day < TODAY.day));
/** The seeded problems a card lists, in the card's order. */
const keysIn = (card: unknown) =>
  SEED.map((s) => ({ key: s.key, at: text(card).indexOf(`问题${s.key}：`) }))
    .filter((s) => s.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((s) => s.key);
/** Soonest deadline first, undated last. */
const byDeadline = (keys: string[]) =>
  SEED.filter((s) => keys.includes(s.key))
    .sort((a, b) => (a.due ? a.due.month * 100 + a.due.day : 9999) - (b.due ? b.due.month * 100 + b.due.day : 9999))
    .map((s) => s.key);

beforeAll(async () => {
  // 区自然资源局 takes problems here, so it needs a chat: nothing is assigned to a unit nobody can be reached in.
  await importExampleDistrict(t.fake, t.bot.models, clock, (yaml) =>
    yaml.replace(
      '{ id: natural-resources-bureau, name: 区自然资源局, kind: department }',
      '{ id: natural-resources-bureau, name: 区自然资源局, kind: department, chat: oc_example_ziranziyuan }',
    ),
  );
  for (const s of SEED) {
    const issue = await t.bot.issues.report({
      waterBodyId: s.water,
      place: '',
      description: `问题${s.key}：河岸堆放杂物`,
      category: '河岸',
      urgency: 'normal',
      source: { kind: 'office' },
      foundBy: 'qian-hezhangban',
      foundAt: clock.now(),
      reportedBy: 'qian-hezhangban',
    });
    if (s.unit && s.due)
      await t.bot.issues.act(
        openId('qian'),
        issue.id,
        issue.version,
        { type: 'assign', unit: s.unit, deadline: s.due, requirement: '清理' },
        `seed:${s.key}`,
      );
  }
  await t.settle();
  clock.set(new Date('2026-12-08T10:00:00+08:00'));
});

describe('/问题 lists', () => {
  it('lists what the office asks for, by water body, unit and state', async () => {
    const [all] = await say('qian', { text: '/问题' });
    expect(keysIn(all?.content)).toEqual(byDeadline(SEED.map((s) => s.key)));
    expect(text(all?.content)).toContain(`共 **${SEED.length}** 条，其中逾期 **${SEED.filter(overdue).length}** 条`);

    const [late] = await say('qian', { text: '/问题 大渡河 逾期' });
    expect(keysIn(late?.content)).toEqual(
      SEED.filter((s) => s.water === 'dadu-jinkouhe' && overdue(s)).map((s) => s.key),
    );
    expect(text(late?.content)).toContain('大渡河（金口河段） · 逾期');

    const [township] = await say('qian', { text: '/问题 永和镇' });
    expect(keysIn(township?.content)).toEqual(SEED.filter((s) => s.unit === 'yonghe').map((s) => s.key));
    const [waiting] = await say('qian', { text: '/问题 待交办' });
    expect(keysIn(waiting?.content)).toEqual(['E']);
  });

  it('answers a typo with a suggestion and an ambiguous name with choices', async () => {
    const [typo] = await say('qian', { text: '/问题 大度河' });
    expect(textOf(typo)).toBe('没有找到“大度河”。您是不是要找“大渡河（金口河段）”？');
    const [unknown] = await say('qian', { text: '/问题 长江' });
    expect(textOf(unknown)).toBe('没有找到河湖或单位“长江”。可以写河湖名、乡镇名或部门名，例如：/问题 大渡河 逾期');
    const [choices] = await say('qian', { text: '/问题 永 整改中' });
    expect(text(choices?.content)).toContain('“永”对应多个');
    expect(text(choices?.content)).toContain('"q":"永胜乡 整改中"');
    const chosen = await tap('qian', { a: 'query.issues', q: '永和镇' });
    expect(keysIn(chosen.card)).toEqual(['A']);
    const [one] = await say('qian', { text: '/问题 0001' });
    expect(text(one?.content)).toContain('金口河〔2026〕第0001号');
  });

  it('shows each person only what is theirs', async () => {
    const [township] = await say('wu', { text: '/问题' });
    expect(keysIn(township?.content)).toEqual(
      byDeadline(
        SEED.filter((s) => s.water === 'dadu-jinkouhe' || s.water === 'baixionggou' || s.unit === 'yonghe').map(
          (s) => s.key,
        ),
      ),
    );
    const [liaison] = await say('zhou', { text: '/问题' });
    expect(keysIn(liaison?.content)).toEqual(['C']);
    const [refused] = await say('zhou', { text: '/问题 大渡河' });
    expect(textOf(refused)).toBe('您无权查看大渡河（金口河段）的问题。如需了解，请联系区河长制办公室。');
    const [stranger] = await say('nobody', { text: '/问题' });
    expect(textOf(stranger)).toBe('您不在组织名录中，暂时无法操作。如有疑问，请联系区河长制办公室。');
  });
});

describe('/议定 and /会议', () => {
  it('lists open decisions and upcoming meetings to those they concern', async () => {
    await t.bot.issues.reportAssigned(
      {
        waterBodyId: 'dadu-jinkouhe',
        place: '',
        description: '完成岸线划界',
        category: '其他',
        urgency: 'normal',
        source: { kind: 'decision', ref: 'doc:test#1' },
        foundBy: 'li-hezhang',
        foundAt: clock.now(),
        reportedBy: 'sun-shuiwu',
      },
      {
        unit: 'natural-resources-bureau',
        deadline: new Date('2027-01-16T00:00:00+08:00'),
        requirement: '落实纪要第1项',
        trackerUnit: 'water-bureau',
        assignedBy: 'li-hezhang',
      },
    );
    await t.bot.meetings.schedule(openId('sun'), {
      kind: 'basinMeeting',
      waterBodyId: 'dadu-jinkouhe',
      day: { year: 2026, month: 12, day: 15 },
      time: '14:30',
      place: '区水务局',
      units: [],
      people: [],
    });
    await t.settle();

    const [decisions] = await say('qian', { text: '/议定' });
    expect(text(decisions?.content)).toContain('完成岸线划界');
    expect(keysIn(decisions?.content)).toEqual([]);
    const [none] = await say('zhou', { text: '/议定' });
    expect(text(none?.content)).toContain('没有未办结的议定事项。');

    const [meetings] = await say('li', { text: '/会议' });
    expect(text(meetings?.content)).toContain('2026年12月15日下午2时30分');
    expect(text(meetings?.content)).toContain('大渡河（金口河段）流域专题会议');
    const [others] = await say('zhou', { text: '/meetings' });
    expect(text(others?.content)).toContain('即将召开 **0** 个会议');
  });
});

describe('/导出 ledgers', () => {
  async function workbook(who: string, args: string) {
    const sent = await say(who, { text: `/导出 ${args}`.trim() });
    const file = sent.find((m) => m.msgType === 'file');
    const upload = t.fake.upload((file?.content as { file_key: string }).file_key)!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(upload.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const rows: string[][] = [];
    sheet.eachRow((row) =>
      rows.push(
        (row.values as Array<string | number | null | undefined>)
          .slice(1)
          .map((v) => (v === null || v === undefined ? '' : String(v))),
      ),
    );
    return { fileName: upload.fileName, sheet: sheet.name, rows, said: sent.map(textOf).filter(Boolean) };
  }

  it('exports this year’s problem ledger with the offices’ columns', async () => {
    const { fileName, sheet, rows, said } = await workbook('qian', '');
    expect(fileName).toBe('金口河区2026年问题台账.xlsx');
    expect(sheet).toBe('问题台账');
    expect(rows[0]?.[0]).toBe('金口河区2026年问题台账');
    expect(rows[1]?.slice(0, 5)).toEqual(['问题编号', '河湖', '乡镇', '具体位置', '问题描述']);
    // Every seeded problem and the decision, each once.
    expect(rows.length - 2).toBe(SEED.length + 1);
    const a = rows.find((r) => r[4] === '问题A：河岸堆放杂物')!;
    expect([a[0], a[1], a[10], a[12], a[13]]).toEqual([
      '金口河〔2026〕第0001号',
      '大渡河（金口河段）',
      '永和镇',
      '2026-12-10',
      '已交办',
    ]);
    expect(said).toEqual([`已导出金口河区2026年问题台账，共 ${SEED.length + 1} 条。`]);
  });

  it('exports decisions with their document, and patrols of a month, to those who may see them', async () => {
    const decisions = await workbook('qian', '议定事项台账');
    expect(decisions.rows.slice(2).map((r) => [r[3], r[4], r[6], r[7]])).toEqual([
      ['完成岸线划界', '区自然资源局', '2027-01-15', '已交办'],
    ]);

    const store = new PatrolStore(t.bot.models, clock);
    const patrol = (chiefId: string, waterBodyId: string, at: string) =>
      store.record({
        chiefId,
        role: 'riverChief',
        waterBodyId,
        recordedBy: chiefId,
        patrolledAt: new Date(at),
        observations: '河面整洁',
        problems: [],
        photoKeys: [],
      });
    await patrol('li-hezhang', 'dadu-jinkouhe', '2026-12-02T09:00:00+08:00');
    await patrol('wang-hezhang', 'yeniu', '2026-12-03T09:00:00+08:00');
    await patrol('li-hezhang', 'dadu-jinkouhe', '2026-11-20T09:00:00+08:00');
    const month = await workbook('qian', '巡河台账 本月');
    expect(month.fileName).toBe('金口河区2026年12月巡河台账.xlsx');
    expect(month.rows.slice(2).map((r) => [r[1], r[2], r[3], r[4]])).toEqual([
      ['大渡河（金口河段）', '李某某', '区级河湖长', '2026-12-02'],
      ['野牛河', '王某某', '区级河湖长', '2026-12-03'],
    ]);
    const mine = await workbook('li', '巡河 12月');
    expect(mine.rows.slice(2).map((r) => r[1])).toEqual(['大渡河（金口河段）']);
    const [refused] = await say('zhou', { text: '/导出 问题台账 大渡河' });
    expect(textOf(refused)).toBe('您无权导出大渡河（金口河段）的台账。如需了解，请联系区河长制办公室。');
  });

  it('answers an ambiguous name with a choice card whose buttons send the ledger', async () => {
    const [choices] = await say('qian', { text: '/导出 问题台账 永' });
    expect(text(choices?.content)).toContain('"q":"问题台账 永和镇"');
    expect(text(choices?.content)).toContain('"q":"问题台账 永胜乡"');
    const before = t.fake.messages().length;
    const chosen = await tap('qian', { a: 'query.export', q: '问题台账 永和镇' });
    expect(chosen.toast?.content).toMatch(/^已导出金口河区永和镇2026年问题台账，共 \d+ 条。$/);
    const file = t.fake
      .messages()
      .slice(before)
      .find((m) => m.msgType === 'file');
    expect(t.fake.upload((file?.content as { file_key: string }).file_key)?.fileName).toBe(
      '金口河区永和镇2026年问题台账.xlsx',
    );
  });
});

describe('/帮助 for each person', () => {
  it('offers the commands this person can use', async () => {
    const helpOf = async (who: string) => text((await say(who, { text: '/帮助' }))[0]?.content);
    const office = await helpOf('qian');
    for (const usage of ['/状态', '/简报', '/安排会议', '/导出', '/登记']) expect(office).toContain(`**${usage}`);
    const township = await helpOf('wu');
    expect(township).toContain('**/状态');
    expect(township).toContain('**/进展');
    expect(township).not.toContain('**/安排会议');
    expect(township).not.toContain('**/简报');
    const stranger = await helpOf('nobody');
    expect(stranger).toContain('**/帮助');
    expect(stranger).not.toContain('**/状态');
  });
});
