import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { cardAction } from '../../src/feishu/fake/event-builders.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { REGISTRATION_FORM } from '../factories/issue.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, type Reply, readAnswer, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * One problem from 登记 to 已销号, end to end through the fake Feishu and a real database:
 * every tap a signed callback, every reply a delivered message event.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const openId = exampleOpenId;
const NUMBER = '金口河〔2026〕第0001号';

const cardOf = (m: FakeMessage | undefined) => m?.updates.at(-1) ?? m?.content;

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

const issue = async () => (await t.bot.models.issues.findOne({ seq: 1 }).lean())!;
const act = async (t_: string) => ({ a: 'issue.act', id: (await issue()).key, v: (await issue()).version, t: t_ });
const form = async (t_: string) => ({ a: 'issue.form', id: (await issue()).key, v: (await issue()).version, t: t_ });
const cardIn = (where: (m: FakeMessage) => boolean) =>
  t.fake.messages().find((m) => where(m) && text(m.content).includes(NUMBER) && m.msgType === 'interactive');

// Sequential: one problem worked through step by step: each test takes it on from where the last one left it.
describe.sequential('a problem from 登记 to 已销号', () => {
  it('registers from /登记 and posts the card to the River Chief Office and the water body chat', async () => {
    const [formMessage] = await say('qian', { text: '/登记' });
    expect(text(formMessage?.content)).toContain('登记问题');
    const nobody = await tap(
      'nobody',
      { a: 'issue.create' },
      { water: 'dadu-jinkouhe', description: '河岸堆放建筑垃圾' },
    );
    expect(nobody.toast).toEqual({
      type: 'error',
      content: '您不在组织名录中，暂时无法操作。如有疑问，请联系区河长制办公室。',
    });
    const missing = await tap('qian', { a: 'issue.create' }, { water: 'dadu-jinkouhe', description: ' ' });
    expect(missing.toast).toEqual({ type: 'error', content: '请填写问题描述' });
    expect(await t.bot.models.issues.countDocuments()).toBe(0);

    const done = await tap('qian', { a: 'issue.create' }, REGISTRATION_FORM, formMessage!.messageId);
    expect(done.toast?.content).toBe('问题已登记，已送区河长制办公室交办');
    expect(text(done.card)).toContain(NUMBER);
    expect(text(done.card)).toContain('登记');
    expect(text(done.card)).toContain('"t":"assign"');
    expect(await issue()).toMatchObject({
      state: 'reported',
      version: 1,
      townshipId: 'yonghe',
      chiefId: 'li-hezhang',
      source: { kind: 'office' },
      number: NUMBER,
    });
    expect(cardIn((m) => m.chatId === 'oc_example_hezhangban')).toBeDefined();
    expect(cardIn((m) => m.chatId === 'oc_example_dadu')).toBeDefined();
  });

  it('lets only the office assign, with the form’s unit, deadline and requirement', async () => {
    expect((await tap('wu', await form('assign'))).toast).toEqual({
      type: 'error',
      content: '只有区河长制办公室可以进行此操作。',
    });
    const opened = await tap('qian', await form('assign'));
    expect(text(opened.form)).toContain('交办问题');
    expect(text(opened.form)).toContain('"value":"yonghe"');
    const noUnit = await tap('qian', await act('assign'), { date: '2026-12-04 +0800', text: '清运建筑垃圾' });
    expect(noUnit.toast).toEqual({ type: 'error', content: '请选择承办单位' });
    const past = await tap('qian', await act('assign'), {
      unit: 'yonghe',
      date: '2026-11-20 +0800',
      text: '清运建筑垃圾',
    });
    expect(past.toast).toEqual({ type: 'error', content: '整改期限须晚于现在。' });
    expect((await issue()).state).toBe('reported');

    const assigned = await tap('qian', await act('assign'), {
      unit: 'yonghe',
      department: 'natural-resources-bureau',
      date: '2026-12-04 +0800',
      text: '7日内清运，恢复岸坡',
    });
    expect(assigned.toast?.content).toBe('已交办');
    expect(text(assigned.card)).toContain('**承办单位**：永和镇');
    expect(text(assigned.card)).toContain('**督办单位**：区水务局、区自然资源局');
    expect(text(assigned.card)).toContain('**整改期限**：12月4日（剩10天）');
    expect(await issue()).toMatchObject({
      state: 'assigned',
      version: 2,
      assigneeUnit: 'yonghe',
      supervisorUnits: ['water-bureau', 'natural-resources-bureau'],
    });
    // 永和镇 has no chat: its member gets the card directly; the liaison unit's chat gets a copy.
    expect(cardIn((m) => m.receiveId === openId('wu'))).toBeDefined();
    expect(cardIn((m) => m.chatId === 'oc_example_shuiwu')).toBeDefined();
    // Every copy posted earlier now shows the assignment.
    expect(text(cardOf(cardIn((m) => m.chatId === 'oc_example_hezhangban')))).toContain('已交办');
  });

  it('applies exactly one of two simultaneous taps; the other is told and refreshed', async () => {
    const value = await act('accept');
    clock.advance(1_000);
    const both = await Promise.all(
      ['wu', 'wu'].map((who) =>
        t.post(
          cardAction({
            operatorOpenId: openId(who),
            value,
            messageId: 'om_card',
            chatId: 'oc_x',
            verificationToken: TEST_APP.verificationToken,
          }),
          { path: '/webhook/card', clock },
        ),
      ),
    );
    await t.settle();
    const toasts = both.map((r) => (r.json as Reply).toast?.content).sort();
    expect(toasts).toEqual(['已接收，请抓紧整改', '该问题已被处理，卡片已刷新。']);
    expect(both.every((r) => text(readAnswer(r.json).card).includes('整改中'))).toBe(true);
    const accepts = await t.bot.models.issueHistory.countDocuments({ issueKey: (await issue()).key, action: 'accept' });
    expect(accepts).toBe(1);
    expect((await issue()).version).toBe(3);
  });

  it('refuses a stale card politely and sends the card as it now stands', async () => {
    const stale = await tap('wu', { ...(await form('returnResponsibility')), v: 2 });
    expect(stale.toast).toEqual({ type: 'warning', content: '该问题已被处理，卡片已刷新。' });
    expect(text(stale.card)).toContain('整改中');
    expect((await issue()).state).toBe('rectifying');
  });

  it('records progress replied in the card’s thread, text and photos, and refuses the uninvolved', async () => {
    const daduCard = cardIn((m) => m.chatId === 'oc_example_dadu')!;
    const [ack] = await say('sun', {
      chatId: 'oc_example_dadu',
      text: '已现场查看，正在清运',
      rootId: daduCard.messageId,
    });
    expect(ack?.content).toEqual({ text: `已记为${NUMBER}问题的进展。` });
    const wuCard = cardIn((m) => m.receiveId === openId('wu'))!;
    const [photoAck] = await say('wu', {
      chatId: wuCard.chatId ?? 'oc_p2p_wu',
      messageType: 'image',
      content: { image_key: 'img_v3_bank_after' },
      rootId: wuCard.messageId,
    });
    expect(photoAck?.content).toEqual({ text: `已将照片记入${NUMBER}问题的进展。` });
    const [refusal] = await say('chen', { chatId: 'oc_example_dadu', text: '我也看到了', rootId: daduCard.messageId });
    expect(refusal?.content).toEqual({ text: '您不是该问题的承办或督办单位，进展未记录。' });
    const [cmdAck] = await say('wu', { text: '/进展 0001 已清运一半' });
    expect(cmdAck?.content).toEqual({ text: `已记为${NUMBER}问题的进展。` });

    const saved = await issue();
    expect(saved.progress.map((p) => [p.by, p.note])).toEqual([
      ['sun-shuiwu', '已现场查看，正在清运'],
      ['wu-yonghe', '（照片）'],
      ['wu-yonghe', '已清运一半'],
    ]);
    expect(saved.photos).toEqual([expect.stringMatching(/\/img_v3_bank_after$/)]);
    // Progress changes no state: the buttons on every card stay valid.
    expect(saved.version).toBe(3);
    expect(text(cardOf(daduCard))).toContain('已清运一半');
  });

  it('verification: the assignee cannot pass its own fix; the liaison unit returns it, then passes it', async () => {
    expect((await tap('wu', await act('requestClose'), { text: ' ' })).toast).toEqual({
      type: 'error',
      content: '请说明整改情况并附佐证',
    });
    expect((await tap('wu', await act('requestClose'), { text: '已全部清运，照片见话题' })).toast?.content).toBe(
      '已申请销号，等待核查',
    );
    expect(
      t.fake
        .messages()
        .some(
          (m) =>
            m.chatId === 'oc_example_hezhangban' && text(m.content).includes(`永和镇已申请${NUMBER}问题销号，请核查`),
        ),
    ).toBe(true);
    expect((await tap('wu', await act('verifyPass'))).toast).toEqual({
      type: 'error',
      content: '只有区河长制办公室或联络员单位可以核查销号。',
    });

    expect((await tap('sun', await act('verifyFail'), { text: '岸坡尚未恢复' })).toast?.content).toBe('已退回整改');
    expect((await issue()).state).toBe('rectifying');
    expect(
      t.fake
        .messages()
        .some((m) => m.receiveId === openId('wu') && text(m.content).includes('核查未通过，已退回整改：岸坡尚未恢复')),
    ).toBe(true);

    await tap('wu', await act('requestClose'), { text: '岸坡已恢复' });
    const before = t.fake.messages().length;
    const closed = await tap('sun', await act('verifyPass'));
    expect(closed.toast?.content).toBe('已核查销号，已报告河湖长');
    expect(text(closed.card)).toContain('已销号');
    expect(text(closed.card)).not.toContain('"a":"issue.act"');
    expect(await issue()).toMatchObject({ state: 'closed', closedOnTime: true });

    // 报告河湖长 (李某某) and whoever raised it (钱某某), copied to the River Chief Office.
    const reports = t.fake
      .messages()
      .slice(before)
      .filter((m) => text(m.content).includes('问题销号报告'));
    expect(reports.map((m) => m.receiveId).sort()).toEqual(
      [openId('li'), openId('qian'), 'oc_example_hezhangban'].sort(),
    );
    const report = text(reports[0]?.content);
    expect(report).toContain('经孙某某核查销号（按期完成）');
    expect(report).toContain('钱某某交办');
    expect(report).toContain('孙某某退回整改：岸坡尚未恢复');
  });

  it('keeps the whole history: who, when, from, to, note', async () => {
    const history = await t.bot.models.issueHistory
      .find({ issueKey: (await issue()).key })
      .sort({ at: 1 })
      .lean();
    expect(history.map((h) => `${h.action}:${h.from}→${h.to}:${h.by}`)).toEqual([
      'reported:reported→reported:qian-hezhangban',
      'assign:reported→assigned:qian-hezhangban',
      'accept:assigned→rectifying:wu-yonghe',
      'progress:rectifying→rectifying:sun-shuiwu',
      'progress:rectifying→rectifying:wu-yonghe',
      'progress:rectifying→rectifying:wu-yonghe',
      'requestClose:rectifying→pendingVerification:wu-yonghe',
      'verifyFail:pendingVerification→rectifying:sun-shuiwu',
      'requestClose:rectifying→pendingVerification:wu-yonghe',
      'verifyPass:pendingVerification→closed:sun-shuiwu',
    ]);
    const [card] = await say('li', { text: '/问题 0001' });
    expect(text(card?.content)).toContain('处理记录');
    const [refused] = await say('zhou', { text: '/问题 0001' });
    expect(refused?.content).toEqual({ text: '该问题与您无关，无法查看。如需了解，请联系区河长制办公室。' });
  });
});
