import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { cardAction } from '../../src/feishu/fake/event-builders.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, readAnswer, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * A form takes effect once. A double tap or a client retry sends the same form message with
 * the same values again under a new event id: the patrol and its problems, or the problem,
 * are recorded once, and the repeat is told so and sees the recorded card.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const duty = { d: 'riverChief:li-hezhang:dadu-jinkouhe', p: '2026-11' };
const REPEAT = { type: 'info', content: '该表单已提交并记录，无需重复提交' };

const lastFormTo = (who: string): FakeMessage =>
  t.fake
    .messages({ receiveIdType: 'open_id', receiveId: exampleOpenId(who) })
    .filter((m) => m.msgType === 'interactive')
    .at(-1)!;

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

describe('a form submitted twice takes effect once', () => {
  it('records one patrol and registers its problems once when the patrol form is submitted twice', async () => {
    await tap('li', { a: 'patrol.form', ...duty });
    const form = lastFormTo('li');
    expect(text(form.content)).toContain('"a":"patrol.submit"');
    const values = {
      date: '2026-11-23 +0800',
      observations: '总体良好',
      problems: '滨河路段岸边建筑垃圾\n新民村段有疑似排污口',
    };

    const first = await tap('li', { a: 'patrol.submit', ...duty }, values, form.messageId);
    expect(first.toast?.content).toBe('巡河已记录');
    const again = await tap('li', { a: 'patrol.submit', ...duty }, values, form.messageId);
    expect(again.toast).toEqual(REPEAT);
    expect(text(again.card)).toBe(text(first.card));

    expect(await t.bot.models.patrols.countDocuments()).toBe(1);
    expect((await t.bot.models.issues.find().lean()).map((i) => i.description).sort()).toEqual(
      ['新民村段有疑似排污口', '滨河路段岸边建筑垃圾'].sort(),
    );
  });

  it('records once when both submissions arrive at the same moment', async () => {
    await tap('wang', { a: 'patrol.form', d: 'riverChief:wang-hezhang:yeniu', p: '2026-11' });
    const form = lastFormTo('wang');
    const submit = () =>
      t.post(
        cardAction({
          operatorOpenId: exampleOpenId('wang'),
          value: { a: 'patrol.submit', d: 'riverChief:wang-hezhang:yeniu', p: '2026-11' },
          formValue: { date: '2026-11-24 +0800', observations: '河道畅通', problems: '铜河村段河面漂浮物' },
          messageId: form.messageId,
          chatId: form.chatId ?? 'oc_p2p_wang',
          verificationToken: TEST_APP.verificationToken,
        }),
        { path: '/webhook/card', clock },
      );
    clock.advance(1_000);
    const answers = await Promise.all([submit(), submit()]);
    await t.settle();
    const toasts = answers.map((r) => readAnswer(r.json).toast?.content).sort();
    expect(toasts).toEqual(['巡河已记录', '该表单正在提交，请勿重复点击'].sort());
    expect(await t.bot.models.patrols.countDocuments({ chiefId: 'wang-hezhang' })).toBe(1);
    expect(await t.bot.models.issues.countDocuments({ description: '铜河村段河面漂浮物' })).toBe(1);
  });

  it('lets a form refused for a missing field be fixed and sent again', async () => {
    const [form] = await say('qian', { text: '/登记' });
    const missing = await tap('qian', { a: 'issue.create' }, { water: 'yeniu', description: ' ' }, form!.messageId);
    expect(missing.toast).toEqual({ type: 'error', content: '请填写问题描述' });
    const values = {
      water: 'yeniu',
      place: '铜河村段',
      description: '岸边堆放秸秆',
      category: '河岸',
      urgency: 'normal',
    };
    const first = await tap('qian', { a: 'issue.create' }, values, form!.messageId);
    expect(first.toast?.content).toBe('问题已登记，已送区河长制办公室交办');
    const again = await tap('qian', { a: 'issue.create' }, values, form!.messageId);
    expect(again.toast).toEqual(REPEAT);
    expect(text(again.card)).toContain('岸边堆放秸秆');
    expect(await t.bot.models.issues.countDocuments({ description: '岸边堆放秸秆' })).toBe(1);
  });

  it('answers a repeated 交办 form as recorded, not as someone else’s change', async () => {
    const issue = (await t.bot.models.issues.findOne({ description: '岸边堆放秸秆' }).lean())!;
    const value = { a: 'issue.form', id: issue.key, v: issue.version, t: 'assign' };
    await tap('qian', value);
    const form = lastFormTo('qian');
    const values = { unit: 'jinhe', date: '2026-12-04 +0800', text: '清运秸秆' };
    const first = await tap('qian', { ...value, a: 'issue.act' }, values, form.messageId);
    expect(first.toast?.content).toBe('已交办');
    const again = await tap('qian', { ...value, a: 'issue.act' }, values, form.messageId);
    expect(again.toast).toEqual(REPEAT);
    expect(await t.bot.models.issueHistory.countDocuments({ issueKey: issue.key, action: 'assign' })).toBe(1);
  });
});
