import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { ChiefRole } from '../../src/domain/patrols/obligation.js';
import { patrolPeriods } from '../../src/domain/patrols/patrol.js';
import { PatrolStore } from '../../src/store/patrol-store.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * /状态 against a seeded year: every number on the card is checked against a count worked
 * out here from the seed itself, for the office (the district) and for a liaison unit (its
 * water body).
 */

const TZ = 'Asia/Shanghai';
const clock = new ManualClock('2026-03-10T10:00:00+08:00');
const t = useTestBot({ clock });
const { say, tap } = peopleChat(t, clock);
const openId = exampleOpenId;

type Seeded = { chief: string; role: ChiefRole; water?: string; at: string };
const months = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(2, '0'));
const PATROLS: Seeded[] = [
  { chief: 'zhang-zonghezhang', role: 'generalChief', at: '2026-08-10' },
  { chief: 'zhang-zonghezhang', role: 'generalChief', at: '2026-10-15' },
  ...months(1, 11).map((m) => ({
    chief: 'li-hezhang',
    role: 'riverChief' as const,
    water: 'dadu-jinkouhe',
    at: `2026-${m}-08`,
  })),
  ...months(1, 10).map((m) => ({
    chief: 'wang-hezhang',
    role: 'riverChief' as const,
    water: 'yeniu',
    at: `2026-${m}-12`,
  })),
  { chief: 'wu-yonghe', role: 'townshipChief', water: 'dadu-jinkouhe', at: '2026-11-03' },
  { chief: 'feng-gongan', role: 'townshipChief', water: 'dadu-jinkouhe', at: '2026-10-20' },
  { chief: 'zheng-jinhe', role: 'townshipChief', water: 'yeniu', at: '2026-11-05' },
  { chief: 'chen-xinmin', role: 'villageChief', water: 'dadu-jinkouhe', at: '2026-11-04' },
  { chief: 'chen-xinmin', role: 'villageChief', water: 'dadu-jinkouhe', at: '2026-11-16' },
  { chief: 'chu-tongheb', role: 'villageChief', water: 'yeniu', at: '2026-11-06' },
];
/** The example district's duties: who, which role, where, how often (seed art. 4, 6; its settings). */
const DUTIES: Array<{ chief: string; role: ChiefRole; water?: string; period: 'month' | 'quarter'; times: number }> = [
  { chief: 'zhang-zonghezhang', role: 'generalChief', period: 'quarter', times: 1 },
  { chief: 'li-hezhang', role: 'riverChief', water: 'dadu-jinkouhe', period: 'month', times: 1 },
  { chief: 'wang-hezhang', role: 'riverChief', water: 'yeniu', period: 'month', times: 1 },
  { chief: 'wu-yonghe', role: 'townshipChief', water: 'dadu-jinkouhe', period: 'month', times: 1 },
  { chief: 'feng-gongan', role: 'townshipChief', water: 'dadu-jinkouhe', period: 'month', times: 1 },
  { chief: 'zheng-jinhe', role: 'townshipChief', water: 'yeniu', period: 'month', times: 1 },
  { chief: 'wu-yonghe', role: 'townshipChief', water: 'baixionggou', period: 'month', times: 1 },
  { chief: 'chen-xinmin', role: 'villageChief', water: 'dadu-jinkouhe', period: 'month', times: 2 },
  { chief: 'chu-tongheb', role: 'villageChief', water: 'yeniu', period: 'month', times: 2 },
];
/** Worked out from the seed: duties of a role fulfilled in a period (month 1–12, or quarter 1–4). */
function fulfilled(role: ChiefRole, index: number, waters?: string[]): { done: number; of: number } {
  const duties = DUTIES.filter(
    (d) => d.role === role && (!waters || role === 'generalChief' || waters.includes(d.water ?? '')),
  );
  const inPeriod = (at: string, period: 'month' | 'quarter') => {
    const month = Number(at.slice(5, 7));
    return period === 'month' ? month === index : Math.ceil(month / 3) === index;
  };
  const done = duties.filter(
    (d) =>
      PATROLS.filter(
        (p) =>
          p.chief === d.chief &&
          p.role === role &&
          (role === 'generalChief' || p.water === d.water) &&
          inPeriod(p.at, d.period),
      ).length >= d.times,
  ).length;
  return { done, of: duties.length };
}
const pct = (x: { done: number; of: number }) => `${Math.round((x.done / x.of) * 100)}%`;

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
  const store = new PatrolStore(t.bot.models, clock);
  for (const p of PATROLS) {
    const at = new Date(`${p.at}T09:00:00+08:00`);
    await store.record(
      {
        chiefId: p.chief,
        role: p.role,
        waterBodyId: p.water,
        recordedBy: p.chief,
        patrolledAt: at,
        observations: '正常',
        problems: [],
        photoKeys: [],
      },
      patrolPeriods(at, TZ),
    );
  }
  const report = (description: string, waterBodyId: string) =>
    t.bot.issues.report({
      waterBodyId,
      place: '',
      description,
      category: '其他',
      urgency: 'normal',
      source: { kind: 'office' },
      foundBy: 'qian-hezhangban',
      foundAt: clock.now(),
      reportedBy: 'qian-hezhangban',
    });
  const act = async (who: string, id: string, input: Parameters<typeof t.bot.issues.act>[3]) => {
    const issue = (await t.bot.models.issues.findOne({ _id: id }).lean())!;
    await t.bot.issues.act(openId(who), id, issue.version, input, `seed:${id}:${input.type}:${issue.version}`);
  };
  // March: one problem on 大渡河, due at the year's end.
  const first = await report('一：岸坡垮塌', 'dadu-jinkouhe');
  await act('qian', first.id, {
    type: 'assign',
    unit: 'yonghe',
    deadline: { year: 2026, month: 12, day: 31 },
    requirement: '修复',
  });
  // June: one on 野牛河, closed in July.
  clock.set(new Date('2026-06-05T10:00:00+08:00'));
  const second = await report('二：网箱养殖', 'yeniu');
  await act('qian', second.id, {
    type: 'assign',
    unit: 'jinhe',
    deadline: { year: 2026, month: 7, day: 31 },
    requirement: '拆除',
  });
  clock.set(new Date('2026-07-10T10:00:00+08:00'));
  await act('zheng', second.id, { type: 'accept' });
  await act('zheng', second.id, { type: 'requestClose', evidence: '已拆除' });
  await act('qian', second.id, { type: 'verifyPass' });
  // November: one overdue on 大渡河, one waiting to be assigned, one decision due soon.
  clock.set(new Date('2026-11-02T10:00:00+08:00'));
  const third = await report('三：排污口', 'dadu-jinkouhe');
  await act('qian', third.id, {
    type: 'assign',
    unit: 'gongan',
    deadline: { year: 2026, month: 11, day: 10 },
    requirement: '封堵',
  });
  clock.set(new Date('2026-11-18T10:00:00+08:00'));
  await report('四：垃圾', 'baixionggou');
  await t.bot.issues.reportAssigned(
    {
      waterBodyId: 'dadu-jinkouhe',
      place: '',
      description: '五：完成划界',
      category: '其他',
      urgency: 'normal',
      source: { kind: 'decision', ref: 'doc:x#1' },
      foundBy: 'li-hezhang',
      foundAt: clock.now(),
      reportedBy: 'sun-shuiwu',
    },
    {
      unit: 'natural-resources-bureau',
      deadline: new Date('2026-11-26T00:00:00+08:00'),
      requirement: '落实',
      trackerUnit: 'water-bureau',
      assignedBy: 'li-hezhang',
    },
  );
  await t.bot.meetings.schedule(openId('sun'), {
    kind: 'basinMeeting',
    waterBodyId: 'dadu-jinkouhe',
    day: { year: 2026, month: 11, day: 27 },
    time: '09:00',
    place: '区水务局',
    units: [],
    people: [],
  });
  await t.settle();
  clock.set(new Date('2026-11-20T10:00:00+08:00'));
});

type Element = {
  tag?: string;
  content?: string;
  chart_spec?: { data: Array<{ values: Array<Record<string, unknown>> }> };
};
async function statusOf(who: string) {
  const [message] = await say(who, { text: '/状态' });
  const card = message?.content as { header: { title: { content: string } }; body: { elements: Element[] } };
  const text = card.body.elements.map((e) => e.content ?? '').join('\n');
  const charts = card.body.elements.filter((e) => e.tag === 'chart').map((e) => e.chart_spec?.data[0]?.values ?? []);
  return { title: card.header.title.content, text, charts };
}

describe('/状态', () => {
  it('gives the office the district’s numbers, each as the seed says', async () => {
    const { title, text, charts } = await statusOf('qian');
    expect(title).toBe('河湖长制工作状态 · 全区');
    const q4 = fulfilled('generalChief', 4);
    expect(text).toContain(`区级总河长：本季度 ${q4.done}/${q4.of}（${pct(q4)}）`);
    for (const role of ['riverChief', 'townshipChief', 'villageChief'] as const) {
      const nov = fulfilled(role, 11);
      const year = Array.from({ length: 11 }, (_, i) => fulfilled(role, i + 1)).reduce((a, b) => ({
        done: a.done + b.done,
        of: a.of + b.of,
      }));
      const name = { riverChief: '区级河湖长', townshipChief: '乡级河湖长', villageChief: '村级河湖长' }[role];
      expect(text).toContain(`${name}：本月 ${nov.done}/${nov.of}（${pct(nov)}）· 本年 ${pct(year)}`);
    }
    expect(text).toContain("在办 **4** 个，其中逾期 <font color='red'>**1**</font> 个，待交办 1 个");
    expect(text).toContain('本月新增 3 个，本月销号 0 个');
    expect(text).toContain('未办结议定事项 **1** 项，逾期 0 项，7 日内到期 1 项');
    expect(text).toContain('2026年11月27日上午9时 大渡河（金口河段）流域专题会议');

    const [patrolRates, issuesByMonth, byTownship] = charts;
    expect(patrolRates?.find((r) => r.month === '10月' && r.level === '区级河湖长')?.rate).toBe(
      Math.round((fulfilled('riverChief', 10).done / 2) * 100),
    );
    expect(patrolRates?.find((r) => r.month === '11月' && r.level === '村级河湖长')?.rate).toBe(
      Math.round((fulfilled('villageChief', 11).done / 2) * 100),
    );
    expect(issuesByMonth?.filter((r) => r.count !== 0)).toEqual([
      { month: '3月', kind: '新增', count: 1 },
      { month: '6月', kind: '新增', count: 1 },
      { month: '7月', kind: '销号', count: 1 },
      { month: '11月', kind: '新增', count: 3 },
    ]);
    expect(byTownship?.filter((r) => r.count !== 0)).toEqual([
      { township: '永和镇', kind: '在办', count: 1 },
      { township: '共安彝族乡', kind: '逾期', count: 1 },
    ]);
  });

  it('gives a liaison unit only its water body', async () => {
    const { title, text } = await statusOf('zhou');
    expect(title).toBe('河湖长制工作状态 · 野牛河、区生态环境局');
    expect(text).not.toContain('区级总河长');
    const nov = fulfilled('riverChief', 11, ['yeniu']);
    expect(text).toContain(`区级河湖长：本月 ${nov.done}/${nov.of}（${pct(nov)}）`);
    expect(text).toContain('在办 **0** 个，其中逾期 **0** 个，待交办 0 个');
    expect(text).toContain('未来 30 天没有安排会议。');
  });

  it('tells the office, and only the office, how many messages could not be delivered', async () => {
    expect((await statusOf('qian')).text).not.toContain('未送达');
    // A group the bot was taken out of: Feishu refuses the message for good (230002).
    t.fake.addChat({ chatId: 'oc_status_left', botIsMember: false });
    await t.bot.messenger.send('status-test:left', { chatId: 'oc_status_left' }, { kind: 'text', text: '巡河提醒' });
    await t.settle();
    expect((await statusOf('qian')).text).toContain('近 7 天未送达消息 1 条**</font>（见每日未送达汇总）');
    expect((await statusOf('zhou')).text).not.toContain('未送达');
  });

  it('refuses people outside the directory', async () => {
    const [answer] = await say('nobody', { text: '/status' });
    expect(textOf(answer)).toBe('您不在组织名录中，暂时无法操作。如有疑问，请联系区河长制办公室。');
  });
});

describe('patrols recorded before role and periods were kept', () => {
  it('get them filled in once, and then count', async () => {
    await t.bot.models.patrols.create({
      key: 'old-patrol',
      chiefId: 'wang-hezhang',
      waterBodyId: 'yeniu',
      recordedBy: 'wang-hezhang',
      patrolledAt: new Date('2026-11-02T09:00:00+08:00'),
      observations: '正常',
      status: 'recorded',
      version: 1,
      createdAt: clock.now(),
    });
    expect(await t.bot.patrols.backfillDerived()).toBe(1);
    expect(await t.bot.models.patrols.findOne({ key: 'old-patrol' }).lean()).toMatchObject({
      role: 'riverChief',
      periods: { month: '2026-11', quarter: '2026-Q4', year: '2026' },
    });
    expect(await t.bot.patrols.backfillDerived()).toBe(0);
    const { text } = await statusOf('zhou');
    expect(text).toContain('区级河湖长：本月 1/1（100%）');
  });
});

describe('/逾期', () => {
  it('lists unmet duties of the last period, overdue problems by unit, as the seed says', async () => {
    // Worked out from the seed: duties whose last ended period (October, or Q3 for the general chief) had too few patrols.
    const missed = DUTIES.filter((d) => {
      const inPeriod = (at: string) =>
        d.period === 'month' ? Number(at.slice(5, 7)) === 10 : Math.ceil(Number(at.slice(5, 7)) / 3) === 3;
      const done = PATROLS.filter(
        (p) =>
          p.chief === d.chief &&
          p.role === d.role &&
          (d.role === 'generalChief' || p.water === d.water) &&
          inPeriod(p.at),
      ).length;
      return done < d.times;
    });
    const [message] = await say('qian', { text: '/逾期' });
    const text = JSON.stringify(message?.content);
    expect(text).toContain(
      `巡河未完成 **${missed.length}** 项，问题和议定事项逾期 **1** 项，纪要和文件待审定超期 **0** 份，名录中无法送达的单位或河湖 **4** 个。`,
    );
    // The example directory's four units with no members and no chat stay listed until fixed.
    expect(text).toContain('**名录待补全 · 无法送达** 4 个单位或河湖');
    expect(text).toContain('乡级河湖长 吴某某（大渡河（金口河段））：2026年10月巡河 0/1 次');
    expect(text).not.toContain('区级河湖长 李某某');
    expect(text).toContain('**问题逾期 · 共安彝族乡** 1 项');
    expect(text).toContain('三：排污口（已逾期10天）');
  });
});

describe('the monthly digest', () => {
  it('goes to the River Chief Office on the month’s first working day at the reminder hour, once', async () => {
    const office = () =>
      t.fake
        .messages()
        .filter((m) => m.chatId === 'oc_example_hezhangban' && JSON.stringify(m.content).includes('月度简报'));
    clock.set(new Date('2026-11-30T10:00:00+08:00'));
    expect(await t.bot.digest.sendIfDue(clock.now())).toBe(false);
    clock.set(new Date('2026-12-01T08:30:00+08:00'));
    expect(await t.bot.digest.sendIfDue(clock.now())).toBe(false);
    clock.set(new Date('2026-12-01T09:05:00+08:00'));
    expect(await t.bot.digest.sendIfDue(clock.now())).toBe(true);
    expect(await t.bot.digest.sendIfDue(clock.now())).toBe(true);
    await t.settle();
    expect(office()).toHaveLength(1);
    const text = JSON.stringify(office()[0]?.content);
    expect(text).toContain('河湖长制工作月度简报 · 2026年11月');
    expect(text).toContain('新增问题 3 个，销号 0 个；目前逾期 2 个');
    // The main sections show November too, not December's figures under November's title.
    expect(text).toContain('截至2026年11月30日');
    expect(text).toContain('区级河湖长：2026年11月 2/2（100%）· 2026年 100%');
    expect(text).toContain('11月新增 3 个，11月销号 0 个');
    expect(text).not.toContain('本月');
    expect(text).toContain('召开会议 1 个，印发纪要和文件 0 份');
    // The seed, plus 王某某's November patrol filled in by the backfill above.
    expect(text).toContain(`区级河湖长 ${Math.round(((fulfilled('riverChief', 11).done + 1) / 2) * 100)}%`);
    expect(text).toContain('"tag":"chart"');
    clock.set(new Date('2026-12-02T09:05:00+08:00'));
    expect(await t.bot.digest.sendIfDue(clock.now())).toBe(false);
  });

  it('is there on demand for the offices, and refused to others', async () => {
    const [card] = await say('qian', { text: '/简报' });
    expect(JSON.stringify(card?.content)).toContain('河湖长制工作月度简报 · 2026年11月');
    const [refused] = await say('zhou', { text: '/简报' });
    expect(textOf(refused)).toBe(
      '月度简报供区河长制办公室、区总河长办公室和区级总河长查看；您可以发送 /状态 查看您负责的范围。',
    );
  });
});

describe('/巡河 with a place or a period', () => {
  it('shows who has and has not patrolled, as the seed says, to those who may see it', async () => {
    const october = (['riverChief', 'townshipChief', 'villageChief'] as const).reduce(
      (sum, role) => sum + fulfilled(role, 10).done,
      fulfilled('generalChief', 4).done,
    );
    const [all] = await say('qian', { text: '/巡河 2026年10月' });
    const text = JSON.stringify(all?.content);
    expect(text).toContain(`已完成 **${october}** / ${DUTIES.length} 项巡河职责`);
    expect(text).toContain('✅ 全区 · 区级总河长 张某某：1/1 次（2026年第四季度）');
    expect(text).toContain('❌ 野牛河 · 村级河湖长 褚某某：0/2 次');

    const [dadu] = await say('qian', { text: '/巡河 大渡河 10月' });
    const daduText = JSON.stringify(dadu?.content);
    const daduDuties = DUTIES.filter((d) => d.water === 'dadu-jinkouhe');
    const daduMet = daduDuties.filter(
      (d) =>
        PATROLS.filter((p) => p.chief === d.chief && p.water === d.water && p.at.slice(5, 7) === '10').length >=
        d.times,
    ).length;
    expect(daduText).toContain(`已完成 **${daduMet}** / ${daduDuties.length} 项巡河职责`);
    expect(daduText).toContain('✅ 大渡河（金口河段） · 乡级河湖长 冯某某：1/1 次');

    const [year] = await say('qian', { text: '/巡河 李某某 2026年' });
    // A monthly duty over a year: twelve patrols; 李某某 has one a month up to November.
    const liYear = PATROLS.filter((p) => p.chief === 'li-hezhang').length;
    expect(JSON.stringify(year?.content)).toContain(
      `${liYear >= 12 ? '✅' : '❌'} 大渡河（金口河段） · 区级河湖长 李某某：${liYear}/12 次`,
    );

    const [refused] = await say('zhou', { text: '/巡河 大渡河' });
    expect(textOf(refused)).toBe('您无权查看大渡河（金口河段）的巡河情况。如需了解，请联系区河长制办公室。');
    const [several] = await say('qian', { text: '/巡河 某某 10月' });
    expect(JSON.stringify(several?.content)).toContain('"q":"李某某 10月"');
    const chosen = await tap('qian', { a: 'query.patrols', q: '李某某 10月' });
    expect(JSON.stringify(chosen.card)).toContain('✅ 大渡河（金口河段） · 区级河湖长 李某某：1/1 次');
    const [typo] = await say('qian', { text: '/巡河 大度河' });
    expect(textOf(typo)).toBe('没有找到“大度河”。您是不是要找“大渡河（金口河段）”？');
  });
});
