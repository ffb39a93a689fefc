import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { deadlineFor } from '../../src/domain/issues/supervision.js';
import { patrolPeriods } from '../../src/domain/patrols/patrol.js';
import { DirectoryStore } from '../../src/store/directory-store.js';
import { PatrolStore } from '../../src/store/patrol-store.js';
import { gatherFacts } from '../../src/workflows/assessment/assessment-facts.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * The yearly assessment (seed art. 16, 21) over a seeded year: every score checked against a
 * value worked out here from the seed, with its evidence lines; ranks with a tie; the
 * four-step approval chain with a return in the middle; the published notice and workbook;
 * and nobody outside each step able to move it.
 */

const TZ = 'Asia/Shanghai';
const clock = new ManualClock('2026-01-05T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const openId = exampleOpenId;
const at = (day: string) => clock.set(`${day}T10:00:00+08:00`);
const ymd = (s: string) => ({ year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) });

/** Township chiefs' patrols of 2026, by month: 吴某某 on 大渡河 every month and on 白熊沟 January–June; 冯某某 January–September; 郑某某 every month. */
const PATROLS: Array<{ chief: string; water: string; months: number[] }> = [
  { chief: 'wu-yonghe', water: 'dadu-jinkouhe', months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
  { chief: 'wu-yonghe', water: 'baixionggou', months: [1, 2, 3, 4, 5, 6] },
  { chief: 'feng-gongan', water: 'dadu-jinkouhe', months: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
  { chief: 'zheng-jinhe', water: 'yeniu', months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
];

const ids: Record<string, string> = {};
const numbers: Record<string, string> = {};

async function act(who: string, name: string, input: Parameters<typeof t.bot.issues.act>[3]) {
  const issue = (await t.bot.models.issues.findOne({ key: ids[name] }).lean())!;
  await t.bot.issues.act(openId(who), issue.key, issue.version, input, `seed:${name}:${input.type}:${issue.version}`);
}
async function close(name: string, who: string, day: string) {
  at(day);
  await act(who, name, { type: 'accept' });
  await act(who, name, { type: 'requestClose', evidence: '已整改' });
  await act('qian', name, { type: 'verifyPass' });
}
async function ordinary(name: string, unit: string, water: string, deadline: string) {
  const issue = await t.bot.issues.report({
    waterBodyId: water,
    place: '',
    description: name,
    category: '其他',
    urgency: 'normal',
    source: { kind: 'office' },
    foundBy: 'qian-hezhangban',
    foundAt: clock.now(),
    reportedBy: 'qian-hezhangban',
  });
  ids[name] = issue.id;
  numbers[name] = issue.number;
  await act('qian', name, { type: 'assign', unit, deadline: ymd(deadline), requirement: '按期整改' });
}
async function tracked(name: string, kind: 'decision' | 'inspection', unit: string, water: string, deadline: string) {
  const issue = await t.bot.issues.reportAssigned(
    {
      waterBodyId: water,
      place: '',
      description: name,
      category: '其他',
      urgency: 'normal',
      source: { kind, ref: `seed:${name}` },
      foundBy: 'qian-hezhangban',
      foundAt: clock.now(),
      reportedBy: 'qian-hezhangban',
    },
    { unit, deadline: deadlineFor(ymd(deadline), TZ), requirement: '按期完成', assignedBy: 'qian-hezhangban' },
  );
  ids[name] = issue.id;
  numbers[name] = issue.number;
}
const sanction = (kind: 'prompt' | 'bulletin', unitId: string, reason: string, praise = false) =>
  t.bot.sanctions.issueNotice(
    openId('qian'),
    { kind, praise, unitId, reason, issueRefs: '' },
    `seed:${unitId}:${reason}`,
  );

beforeAll(async () => {
  // 钱某某 heads 区河长制办公室 and 赵某某 区总河长办公室; 区自然资源局 has a contact to act for it.
  await importExampleDistrict(t.fake, t.bot.models, clock, (yaml) =>
    yaml
      .replace(
        'kind: riverChiefOffice, members: [qian-hezhangban]',
        'kind: riverChiefOffice, head: qian-hezhangban, members: [qian-hezhangban]',
      )
      .replace(
        'kind: generalChiefOffice, members: [zhao-zhuren]',
        'kind: generalChiefOffice, head: zhao-zhuren, members: [zhao-zhuren]',
      )
      .replace(
        '{ id: natural-resources-bureau, name: 区自然资源局, kind: department }',
        '{ id: natural-resources-bureau, name: 区自然资源局, kind: department, members: [chen-xinmin] }',
      ),
  );
  const patrols = new PatrolStore(t.bot.models, clock);
  for (const p of PATROLS) {
    for (const m of p.months) {
      const when = new Date(`2026-${String(m).padStart(2, '0')}-10T09:00:00+08:00`);
      await patrols.record(
        {
          chiefId: p.chief,
          role: 'townshipChief',
          waterBodyId: p.water,
          recordedBy: p.chief,
          patrolledAt: when,
          observations: '正常',
          problems: [],
          photoKeys: [],
        },
        patrolPeriods(when, TZ),
      );
    }
  }
  at('2026-02-01');
  await ordinary('P1 岸坡垮塌', 'yonghe', 'dadu-jinkouhe', '2026-03-31');
  await ordinary('P2 垃圾堆放', 'yonghe', 'dadu-jinkouhe', '2026-05-31');
  await close('P1 岸坡垮塌', 'wu', '2026-03-20');
  at('2026-04-01');
  await ordinary('P3 网箱养殖', 'jinhe', 'yeniu', '2026-06-30');
  await ordinary('P4 排污口', 'jinhe', 'yeniu', '2026-08-31');
  await close('P2 垃圾堆放', 'wu', '2026-06-10');
  await close('P3 网箱养殖', 'zheng', '2026-06-15');
  at('2026-07-01');
  await tracked('D1 清淤', 'decision', 'gongan', 'dadu-jinkouhe', '2026-07-31');
  await close('D1 清淤', 'feng', '2026-07-20');
  at('2026-08-01');
  await ordinary('P5 水文站', 'water-bureau', 'dadu-jinkouhe', '2026-09-30');
  await close('P5 水文站', 'sun', '2026-09-01');
  at('2026-09-05');
  await sanction('prompt', 'jinhe', '排污口问题逾期未整改');
  at('2026-09-20');
  await sanction('bulletin', 'jinhe', '排污口问题经提示仍未整改');
  at('2026-10-01');
  await tracked('I1 公示牌', 'inspection', 'gongan', 'dadu-jinkouhe', '2026-10-31');
  await tracked('D2 监测方案', 'decision', 'ecology-bureau', 'yeniu', '2026-12-31');
  await tracked('D3 岸线划定', 'decision', 'natural-resources-bureau', 'dadu-jinkouhe', '2026-10-31');
  await close('D3 岸线划定', 'chen', '2026-10-20');
  at('2026-10-10');
  await t.bot.sanctions.scheduleAdmonition(
    openId('li'),
    {
      unitId: 'jinhe',
      initiatorId: 'li-hezhang',
      interviewee: '金河镇镇长',
      reason: '排污口问题经通报仍未整改',
      issueRefs: '',
      day: ymd('2026-10-12'),
      time: '09:30',
      place: '区水务局',
      participants: [],
    },
    'seed-admonition',
  );
  at('2026-11-01');
  await sanction('prompt', 'gongan', '巡河记录不全');
  await tracked('I2 河道采砂', 'inspection', 'yonghe', 'dadu-jinkouhe', '2026-11-30');
  await close('I1 公示牌', 'feng', '2026-11-15');
  at('2026-12-01');
  await sanction('bulletin', 'yonghe', '河道保洁长效机制成效明显', true);
  // A problem due in 2027 is not counted in 2026.
  await ordinary('P6 明年到期', 'yonghe', 'dadu-jinkouhe', '2027-01-15');
  await t.settle();
  at('2027-01-10');
}, 120_000);

/**
 * Worked out from the seed with the default scheme (巡河 30, 问题 30, 督查 20, 议定 20; 提示 −2,
 * 通报批评 −5, 约谈 −10; 通报表扬 +2): items without records are scaled out.
 * 永和镇: 巡河 18/24 → 22.5, 问题 1/2 → 15, 督查 0/1 → 0, 议定 — ; 37.5 × 100/80 = 46.875 → 46.88, +2 → 48.88.
 * 金河镇: 巡河 12/12 → 30, 问题 1/2 → 15; 45 × 100/60 = 75, −17 → 58.
 * 共安彝族乡: 巡河 9/12 → 22.5, 督查 1/1 → 20 (late, but rectified), 议定 1/1 → 20; 62.5 × 100/70 = 89.29, −2 → 87.29.
 * 区水务局 问题 1/1 and 区自然资源局 议定 1/1: 100 each, tied first; 区生态环境局 议定 0/1: 0, third.
 */
const EXPECTED = [
  { name: '共安彝族乡', rank: 1, total: 87.29 },
  { name: '金河镇', rank: 2, total: 58 },
  { name: '永和镇', rank: 3, total: 48.88 },
  { name: '区水务局', rank: 1, total: 100 },
  { name: '区自然资源局', rank: 1, total: 100 },
  { name: '区生态环境局', rank: 3, total: 0 },
];

// Sequential: one assessment started, moved through its four steps, then published: each test takes it on from the last.
describe.sequential('the 2026 assessment', () => {
  let id = '';
  let version = 1;
  const v = async () => (await t.bot.models.approvals.findOne({ _id: id }).lean())!.version;

  it('is started by the office and computed from the records, every score traceable', async () => {
    expect(textOf((await say('wu', { text: '/考核 2026年' }))[0])).toContain(
      '考核结果印发前，只有区河长制办公室、区总河长办公室和区级总河长可以查看。',
    );
    const [card] = await say('qian', { text: '/考核 2026年' });
    const shown = text(card?.content);
    for (const e of EXPECTED) expect(shown).toContain(`${e.rank}. **${e.name}** ${e.total} 分`);
    expect(shown).toContain("和平彝族乡<font color='grey'>：本年度无考核记录，不参与排名");
    expect(shown).toContain('河湖长巡河履职 22.5（18/24）');
    id = 'assessment:2026';
    const content = (await t.bot.models.approvals.findOne({ _id: id }).lean())!;
    expect(content.position).toBe(-1);

    // The evidence behind 金河镇's deductions and 永和镇's patrols, line by line.
    const file = await t.bot.assessment.workbook(openId('qian'), id);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.data as unknown as ArrayBuffer);
    const rows = (book.getWorksheet('佐证记录')?.getSheetValues() ?? []).slice(3).map((r) => (r as unknown[]).slice(1));
    const of = (unit: string, item: string) => rows.filter((r) => r[0] === unit && r[1] === item);
    expect(of('金河镇', '扣分').map((r) => [r[3], r[4], r[6]])).toEqual([
      ['2026年9月5日', '提示：排污口问题逾期未整改', -2],
      ['2026年9月20日', '通报批评：排污口问题经提示仍未整改', -5],
      ['2026年10月10日', '约谈：排污口问题经通报仍未整改', -10],
    ]);
    const patrols = of('永和镇', '河湖长巡河履职');
    expect(patrols).toHaveLength(24);
    expect(patrols.filter((r) => r[5] === '否').map((r) => `${String(r[2])} ${String(r[3])}`)).toEqual(
      [7, 8, 9, 10, 11, 12].map((m) => `吴某某（白熊沟乡级河湖长） 2026年${m}月`),
    );
    expect(of('永和镇', '问题按期整改').map((r) => [r[2], r[4], r[5]])).toEqual([
      [`${numbers['P1 岸坡垮塌']} P1 岸坡垮塌`, '时限2026年3月31日，2026年3月20日销号，按期', '是'],
      [`${numbers['P2 垃圾堆放']} P2 垃圾堆放`, '时限2026年5月31日，2026年6月10日销号，逾期', '否'],
    ]);
    expect(of('共安彝族乡', '督查问题整改').map((r) => r[5])).toEqual(['是']);
    const results = (book.getWorksheet('考核结果')?.getSheetValues() ?? [])
      .slice(3)
      .map((r) => (r as unknown[]).slice(1));
    for (const e of EXPECTED) expect(results.find((r) => r[2] === e.name)?.slice(-1)[0]).toBe(e.total);
  });

  it('goes through the four steps; a return with a comment goes back one step; nobody else can move it', async () => {
    version = await v();
    expect((await tap('wu', { a: 'approval.submit', id, v: version })).toast?.content).toBe('由区河长制办公室提交。');
    expect((await tap('qian', { a: 'approval.submit', id, v: version })).toast?.content).toBe('已提交审核');
    version = await v();
    // Step 1: 区河长制办公室会议, recorded by its head.
    expect((await tap('zhang', { a: 'approval.pass', id, v: version })).toast?.content).toBe(
      '当前为“区河长制办公室会议审核”环节，您不能办理。',
    );
    expect((await tap('qian', { a: 'approval.pass', id, v: version })).toast?.content).toBe('已通过');
    version = await v();
    const toZhao = t.fake
      .messages()
      .filter((m) => m.receiveId === openId('zhao') && text(m.content).includes('待区总河长办公室主任会议审议'));
    expect(toZhao).toHaveLength(1);
    // Step 2: 主任会议, recorded by 区总河长办公室's head.
    expect((await tap('qian', { a: 'approval.pass', id, v: version })).toast?.content).toBe(
      '当前为“区总河长办公室主任会议审议”环节，您不能办理。',
    );
    await tap('zhao', { a: 'approval.pass', id, v: version });
    version = await v();
    // Step 3: the general chief returns it with a comment: back to the 主任会议.
    expect((await tap('zhang', { a: 'approval.return', id, v: version }, { comment: ' ' })).toast?.content).toBe(
      '请写明退回意见。',
    );
    const back = await tap('zhang', { a: 'approval.return', id, v: version }, { comment: '请核实金河镇约谈扣分依据' });
    expect(back.toast?.content).toBe('已退回上一环节');
    expect(text(back.card)).toContain('请核实金河镇约谈扣分依据');
    expect(text(back.card)).toContain('待区总河长办公室主任会议审议');
    expect(
      t.fake
        .messages()
        .some(
          (m) =>
            m.receiveId === openId('zhao') &&
            textOf(m).includes('在“区级总河长审定”环节被退回：请核实金河镇约谈扣分依据'),
        ),
    ).toBe(true);
    // A tap on the card as it was before the return is answered with the card as it is.
    expect((await tap('zhang', { a: 'approval.pass', id, v: version })).toast?.type).toBe('warning');
    version = await v();
    await tap('zhao', { a: 'approval.pass', id, v: version });
    version = await v();
    expect((await tap('zhang', { a: 'approval.pass', id, v: version })).toast?.content).toBe('已通过');
    version = await v();
    // Step 4: published in 区总河长办公室's name; a township cannot.
    expect((await tap('wu', { a: 'approval.pass', id, v: version })).toast?.content).toBe(
      '当前为“以区总河长办公室名义通报”环节，您不能办理。',
    );
    const published = await tap('zhao', { a: 'approval.pass', id, v: version });
    expect(text(published.card)).toContain('金总河长办发〔2027〕1号');
    const history = (await t.bot.models.approvals.findOne({ _id: id }).lean())!.history.map(
      (h) => `${h.action}:${h.step ?? ''}:${h.by}`,
    );
    expect(history).toEqual([
      'submit::qian-hezhangban',
      'pass:officeMeeting:qian-hezhangban',
      'pass:directorsMeeting:zhao-zhuren',
      'return:generalChief:zhang-zonghezhang',
      'pass:directorsMeeting:zhao-zhuren',
      'pass:generalChief:zhang-zonghezhang',
      'pass:publish:zhao-zhuren',
    ]);
  });

  it('is published as a notice, with its workbook, to every township and department', async () => {
    const notice = t.fake
      .messages()
      .filter((m) => textOf(m).includes('区总河长办公室关于2026年度河湖长制工作考核结果的通报'));
    expect(notice.map((m) => m.receiveId ?? m.chatId).sort()).toEqual(
      [
        openId('wu'),
        openId('zheng'),
        openId('feng'),
        openId('chen'),
        'oc_example_shuiwu',
        'oc_example_shengtai',
        'oc_example_hezhangban',
        'oc_example_zongheban',
        openId('zhang'),
      ].sort(),
    );
    const body = textOf(notice[0]);
    expect(body).toContain('金总河长办发〔2027〕1号');
    expect(body).toContain('1. 共安彝族乡 87.29分\n2. 金河镇 58分\n3. 永和镇 48.88分');
    expect(body).toContain('1. 区水务局 100分\n1. 区自然资源局 100分\n3. 区生态环境局 0分');
    expect(t.fake.messages().filter((m) => m.msgType === 'file' && m.receiveId === openId('wu'))).toHaveLength(1);
    // Once published, anyone may look it up.
    expect(text((await say('wu', { text: '/考核 2026年' }))[0]?.content)).toContain(
      '已以区总河长办公室名义通报全区各乡镇、各部门。',
    );
  });
});

describe('counting from a later day', () => {
  it('leaves out patrol duty months before the scheme’s countFrom (the bot went into use mid-year)', async () => {
    const directory = (await new DirectoryStore(t.bot.models, clock).loadDirectory())!;
    const sources = {
      issues: t.bot.stores.issues,
      patrols: new PatrolStore(t.bot.models, clock),
      sanctions: t.bot.stores.sanctions,
      timeZone: TZ,
    };
    const facts = await gatherFacts(directory, 2026, new Date('2027-01-01T00:00:00+08:00'), sources, '2026-07-01');
    const yonghe = facts.find((f) => f.unitId === 'yonghe')!;
    // July–December on two water bodies: 大渡河 every month, 白熊沟 none.
    expect(yonghe.duties).toHaveLength(12);
    expect(yonghe.duties.filter((d) => d.fulfilled)).toHaveLength(6);
  });
});

// Sequential: both approvals start from the ranking the 2026 assessment above published, on one clock that only moves on.
describe.sequential('commendation and incentives', () => {
  const approval = async (kind: 'commendation' | 'incentive') =>
    (await t.bot.models.approvals.findOne({ kind }).sort({ createdAt: -1 }).lean())!;

  it('the incentive plan starts from the published ranking and goes 主任会议 → 区级总河长 → published', async () => {
    expect(textOf((await say('wu', { text: '/激励 2026年' }))[0])).toContain('表彰和激励方案由区河长制办公室起草。');
    expect(textOf((await say('qian', { text: '/激励 2025年' }))[0])).toContain('2025年度考核结果尚未通报');
    const [form] = await say('qian', { text: '/激励 2026年' });
    // The top three townships and the top two departments (two tied first, so 区生态环境局, third, is not named).
    expect(text(form?.content)).toContain(
      '共安彝族乡（第1名，87.29分）\\n金河镇（第2名，58分）\\n永和镇（第3名，48.88分）\\n区水务局（第1名，100分）\\n区自然资源局（第1名，100分）',
    );
    const saved = await tap(
      'qian',
      { a: 'plan.save', k: 'incentive', y: 2026 },
      {
        title: '2026年度河湖长制工作激励方案',
        plan: '给予排名靠前单位工作经费激励。',
        list: '共安彝族乡\n区水务局\n区自然资源局',
      },
      'om_incentive',
    );
    expect(text(saved.card)).toContain('区河长制办公室起草中');
    const draft = await approval('incentive');
    expect(draft.content).toEqual({
      plan: '给予排名靠前单位工作经费激励。',
      list: ['共安彝族乡', '区水务局', '区自然资源局'],
    });
    await tap('qian', { a: 'approval.submit', id: draft._id, v: draft.version });
    expect((await tap('qian', { a: 'approval.pass', id: draft._id, v: draft.version + 1 })).toast?.content).toBe(
      '当前为“区总河长办公室主任会议审议”环节，您不能办理。',
    );
    await tap('zhao', { a: 'approval.pass', id: draft._id, v: draft.version + 1 });
    await tap('zhang', { a: 'approval.pass', id: draft._id, v: draft.version + 2 });
    const published = await tap('qian', { a: 'approval.pass', id: draft._id, v: draft.version + 3 });
    expect(text(published.card)).toContain('金总河长办发〔2027〕2号');
    expect(
      t.fake
        .messages()
        .some(
          (m) =>
            m.receiveId === openId('feng') &&
            textOf(m).includes('区总河长办公室关于2026年度河湖长制工作激励方案的通报'),
        ),
    ).toBe(true);
  });

  it('a commendation returned by the 主任会议 goes back to the office, which changes it and submits again', async () => {
    const [form] = await say('qian', { text: '/表彰' });
    expect(text(form?.content)).toContain('2026年度河湖长制工作表彰');
    expect(
      (
        await tap(
          'qian',
          { a: 'plan.save', k: 'commendation', y: 2026 },
          { title: '2026年度河湖长制工作表彰', plan: '表彰先进集体和个人。', list: ' ' },
          'om_commend',
        )
      ).toast?.content,
    ).toBe('请填写名单');
    await tap(
      'qian',
      { a: 'plan.save', k: 'commendation', y: 2026 },
      { title: '2026年度河湖长制工作表彰', plan: '表彰先进集体和个人。', list: '共安彝族乡（先进集体）' },
      'om_commend',
    );
    let c = await approval('commendation');
    await tap('qian', { a: 'approval.submit', id: c._id, v: c.version });
    const back = await tap(
      'zhao',
      { a: 'approval.return', id: c._id, v: c.version + 1 },
      { comment: '请增加先进个人' },
    );
    expect(text(back.card)).toContain('区河长制办公室起草中');
    expect(
      t.fake
        .messages()
        .some(
          (m) =>
            m.chatId === 'oc_example_hezhangban' &&
            textOf(m).includes('在“区总河长办公室主任会议审议”环节被退回：请增加先进个人'),
        ),
    ).toBe(true);
    c = await approval('commendation');
    const edit = await tap('qian', { a: 'plan.edit', id: c._id });
    expect(text(edit.form)).toContain('共安彝族乡（先进集体）');
    await tap(
      'qian',
      { a: 'plan.save', k: 'commendation', y: 2026, id: c._id, v: c.version },
      {
        title: '2026年度河湖长制工作表彰',
        plan: '表彰先进集体和个人。',
        list: '共安彝族乡（先进集体）\n冯某某（优秀乡级河长）',
      },
    );
    c = await approval('commendation');
    expect(c.content).toEqual({
      plan: '表彰先进集体和个人。',
      list: ['共安彝族乡（先进集体）', '冯某某（优秀乡级河长）'],
    });
    await tap('qian', { a: 'approval.submit', id: c._id, v: c.version });
    await tap('zhao', { a: 'approval.pass', id: c._id, v: c.version + 1 });
    await tap('zhang', { a: 'approval.pass', id: c._id, v: c.version + 2 });
    await tap('zhao', { a: 'approval.pass', id: c._id, v: c.version + 3 });
    const notice = t.fake
      .messages()
      .find(
        (m) =>
          m.chatId === 'oc_example_shuiwu' && textOf(m).includes('区总河长办公室关于2026年度河湖长制工作表彰的通报'),
      );
    expect(textOf(notice)).toContain('表彰名单：\n1. 共安彝族乡（先进集体）\n2. 冯某某（优秀乡级河长）');
  });
});

describe('the chain’s reminders', () => {
  it('remind whoever holds a step after every two working days, once each', async () => {
    await tap(
      'qian',
      { a: 'plan.save', k: 'commendation', y: 2026 },
      { title: '2026年度优秀河湖长表彰', plan: '表彰优秀河湖长。', list: '郑某某' },
      'om_commend_2',
    );
    const c = (await t.bot.models.approvals.findOne({ title: '2026年度优秀河湖长表彰' }).lean())!;
    await tap('qian', { a: 'approval.submit', id: c._id, v: c.version }); // Sunday 2027-01-10
    const nudges = () =>
      t.fake
        .messages()
        .filter(
          (m) =>
            m.receiveId === openId('zhao') &&
            textOf(m).includes('“2026年度优秀河湖长表彰”已于2027年1月10日送“区总河长办公室主任会议审议”，尚待办理'),
        );
    clock.set('2027-01-11T09:30:00+08:00');
    expect((await t.bot.approvals.sweep(clock.now())).nudges).toBe(0);
    clock.set('2027-01-12T09:30:00+08:00');
    expect((await t.bot.approvals.sweep(clock.now())).nudges).toBe(1);
    clock.set('2027-01-12T09:40:00+08:00');
    await t.bot.approvals.sweep(clock.now());
    await t.settle();
    expect(nudges()).toHaveLength(1);
    // The office sees it among overdue work; before publication, a township cannot open it.
    const [overdue] = await say('qian', { text: '/逾期' });
    expect(text(overdue?.content)).toContain(
      '待区总河长办公室主任会议审议** 表彰工作方案和表彰名单“2026年度优秀河湖长表彰”',
    );
    expect((await tap('wu', { a: 'approval.view', id: c._id })).toast?.content).toBe(
      '印发前，只有区河长制办公室、区总河长办公室和审批环节的办理人可以查看。',
    );
  });

  it('finish a publication cut short after the last step', async () => {
    const c = (await t.bot.models.approvals.findOne({ title: '2026年度优秀河湖长表彰' }).lean())!;
    // As a crash would leave it: past the last step, not yet numbered or sent.
    await t.bot.models.approvals.updateOne(
      { _id: c._id },
      {
        $set: { position: 3 },
        $push: { history: { at: clock.now(), by: 'zhao-zhuren', action: 'pass', step: 'publish' } },
        $inc: { version: 1 },
      },
    );
    expect((await t.bot.approvals.sweep(clock.now())).published).toBe(0);
    clock.advance(6 * 60_000);
    expect((await t.bot.approvals.sweep(clock.now())).published).toBe(1);
    await t.settle();
    expect((await t.bot.models.approvals.findOne({ _id: c._id }).lean())?.number).toBe('金总河长办发〔2027〕4号');
    expect(
      t.fake
        .messages()
        .filter(
          (m) =>
            m.receiveId === openId('zheng') && textOf(m).includes('区总河长办公室关于2026年度优秀河湖长表彰的通报'),
        ),
    ).toHaveLength(1);
    expect((await t.bot.approvals.sweep(clock.now())).published).toBe(0);
  });
});
