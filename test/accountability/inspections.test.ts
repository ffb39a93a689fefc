import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * 督查 (seed art. 15) through Feishu: the office inspects the district and a liaison unit its
 * own water bodies; each finding becomes a problem assigned to the township with the
 * department and the liaison unit supervising; the report lists findings as they stand.
 */

const clock = new ManualClock('2026-12-01T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const openId = exampleOpenId;
const to = (who: string, needle: string) =>
  t.fake.messages().filter((m) => m.receiveId === openId(who) && text(m.content).includes(needle));
const issueCount = () => t.bot.models.issues.countDocuments({ 'source.kind': 'inspection' });

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

// Sequential: one 督查 opened, its findings turned into problems, then reported: each test takes it on from the last.
describe.sequential('督查 by the office', () => {
  let id = '';
  let version = 1;
  const finding = {
    aspect: 'performance',
    text: '乡级河长10月、11月未巡河，滨河路段垃圾未清理',
    water: 'dadu-jinkouhe',
    township: 'yonghe',
    department: 'natural-resources-bureau',
    date: '2026-12-31 +0800',
  };

  it('is opened by the office or a liaison unit, nobody else', async () => {
    expect(textOf((await say('wu', { text: '/督查' }))[0])).toContain(
      '督查由区河长制办公室或区级河湖长联络员单位组织。',
    );
    const [form] = await say('qian', { text: '/inspect' });
    expect(text(form?.content)).toContain('开展督查');
    expect(
      (
        await tap(
          'qian',
          { a: 'inspection.create' },
          { title: '第四季度督查', from: '2026-12-05 +0800', to: '2026-12-01 +0800' },
          'om_insp',
        )
      ).toast?.content,
    ).toBe('结束日期不能早于开始日期');
    const opened = await tap(
      'qian',
      { a: 'inspection.create' },
      { title: '2026年第四季度河湖长制工作督查', from: '2026-12-01 +0800', to: '2026-12-05 +0800' },
      'om_insp',
    );
    expect(opened.toast?.content).toBe('督查已开始');
    expect(text(opened.card)).toContain('**督查范围**：全区');
    id = (await t.bot.models.inspections.findOne({}).lean())!._id;
  });

  it('turns each finding into a problem assigned to the township, with the department and liaison unit supervising', async () => {
    expect((await tap('zhou', { a: 'inspection.findingForm', id, v: version })).toast?.content).toBe(
      '只有区河长制办公室可以记录本次督查。',
    );
    const form = await tap('qian', { a: 'inspection.findingForm', id, v: version });
    expect(text(form.form)).toContain('记录督查发现问题');

    // 大渡河 does not flow through 金河镇: refused, no problem made.
    const wrong = await tap('qian', { a: 'inspection.addFinding', id, v: version }, { ...finding, township: 'jinhe' });
    expect(wrong.toast).toEqual({ type: 'error', content: '大渡河（金口河段）不流经金河镇，请重新选择乡镇' });
    expect(await issueCount()).toBe(0);

    const added = await tap('qian', { a: 'inspection.addFinding', id, v: version }, finding);
    expect(added.toast?.content).toBe('已交办乡镇整改');
    // The same submission again (a double tap) adds nothing.
    await tap('qian', { a: 'inspection.addFinding', id, v: version }, finding);
    version += 1;
    expect(await issueCount()).toBe(1);
    const issue = (await t.bot.models.issues.findOne({ 'source.kind': 'inspection' }).lean())!;
    expect(issue).toMatchObject({
      state: 'assigned',
      assigneeUnit: 'yonghe',
      waterBodyId: 'dadu-jinkouhe',
      description: finding.text,
    });
    expect([...issue.supervisorUnits].sort()).toEqual(['natural-resources-bureau', 'water-bureau']);
    expect(text(added.card)).toContain(`1. 【河湖长及有关单位履职】${finding.text}`);
    expect(text(added.card)).toContain(issue.number);
    expect(text(added.card)).toContain('督促指导：区自然资源局');
    // 永和镇 gets the problem to rectify, as any assigned problem.
    expect(to('wu', issue.number).length).toBeGreaterThan(0);

    const second = await tap(
      'qian',
      { a: 'inspection.addFinding', id, v: version },
      {
        aspect: 'tasks',
        text: '河长公示牌信息未更新',
        water: 'baixionggou',
        township: 'yonghe',
        date: '2026-12-20 +0800',
      },
    );
    version += 1;
    expect(text(second.card)).toContain('2. 【工作任务完成】河长公示牌信息未更新');
    // Without saying which part of the work it is about, nothing is recorded.
    const unsorted = await tap(
      'qian',
      { a: 'inspection.addFinding', id, v: version },
      { text: '台账不全', water: 'baixionggou', township: 'yonghe', date: '2026-12-20 +0800' },
    );
    expect(unsorted.toast).toEqual({ type: 'error', content: '请选择督查内容' });
    expect(await issueCount()).toBe(2);
    expect(text(second.card)).toContain('发现问题**：2 项，已整改销号 0 项，整改中 2 项，逾期 0 项');
  });

  it('reports the findings and where each stands, and the report follows the rectification', async () => {
    const report = await tap('qian', { a: 'inspection.report', id });
    expect(report.toast?.content).toBe('督查报告已报送');
    const sent = t.fake
      .messages()
      .filter((m) => m.chatId === 'oc_example_hezhangban' && text(m.content).includes('河湖长制工作督查报告'));
    expect(sent).toHaveLength(1);
    expect(to('wu', '河湖长制工作督查报告')).toHaveLength(1);

    const issue = (await t.bot.models.issues
      .findOne({ 'source.kind': 'inspection', description: '河长公示牌信息未更新' })
      .lean())!;
    const act = async (who: string, type: string, form?: Record<string, unknown>) => {
      const v = (await t.bot.models.issues.findOne({ key: issue.key }).lean())!.version;
      return tap(who, { a: 'issue.act', id: issue.key, v, t: type }, form);
    };
    await act('wu', 'accept');
    await act('wu', 'requestClose', { text: '公示牌已更新' });
    expect((await act('qian', 'verifyPass')).toast?.content).toContain('已核查销号');

    await tap('qian', { a: 'inspection.report', id });
    expect(text(t.fake.message(sent[0]!.messageId)?.updates.at(-1))).toContain('已整改销号 1 项');
    clock.set('2027-01-02T10:00:00+08:00');
    const late = await tap('qian', { a: 'inspection.view', id });
    expect(text(late.card)).toContain('已交办（已逾期）');
  });
});

describe('督查 by a liaison unit', () => {
  it('covers only the water bodies it serves, and it follows the rectification too', async () => {
    const [form] = await say('zhou', { text: '/督查' });
    expect(text(form?.content)).toContain('野牛河');
    expect(text(form?.content)).not.toContain('大渡河');
    const refused = await tap(
      'zhou',
      { a: 'inspection.create' },
      { title: '大渡河督查', water: 'dadu-jinkouhe', from: '2027-01-02 +0800', to: '2027-01-03 +0800' },
      'om_insp_zhou',
    );
    expect(refused.toast?.content).toBe('只能督查本单位联系的河湖，请重新选择');
    const opened = await tap(
      'zhou',
      { a: 'inspection.create' },
      { title: '野牛河专项督查', from: '2027-01-02 +0800', to: '2027-01-03 +0800' },
      'om_insp_zhou',
    );
    expect(text(opened.card)).toContain('**督查范围**：野牛河');
    const id = (await t.bot.models.inspections.findOne({ organiserUnit: 'ecology-bureau' }).lean())!._id;
    const added = await tap(
      'zhou',
      { a: 'inspection.addFinding', id, v: 1 },
      {
        aspect: 'rectification',
        text: '网箱养殖未拆除',
        water: 'yeniu',
        township: 'jinhe',
        department: 'agriculture-bureau',
        date: '2027-01-31 +0800',
      },
    );
    expect(added.toast?.content).toBe('已交办乡镇整改');
    const issue = (await t.bot.models.issues.findOne({ description: '网箱养殖未拆除' }).lean())!;
    expect(issue).toMatchObject({ assigneeUnit: 'jinhe', state: 'assigned' });
    expect([...issue.supervisorUnits].sort()).toEqual(['agriculture-bureau', 'ecology-bureau']);
  });
});
