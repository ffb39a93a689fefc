import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { cardAction, messageReceived } from '../../src/feishu/fake/event-builders.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { readAnswer } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * From reminder card to recorded patrol with taps alone, end to end: the example district
 * imported, the reminder job's body run at a set time, taps posted as signed callbacks.
 */

const clock = new ManualClock('2026-11-24T09:05:00+08:00'); // Tuesday: the d7 stage of November
const t = useTestBot({ clock });
const openId = exampleOpenId;

type Card = { header: { title: { content: string } }; body: { elements: Array<Record<string, unknown>> } };
const cardOf = (m: FakeMessage | undefined) => (m?.updates.at(-1) ?? m?.content) as Card;
const textOf = (card: unknown) => JSON.stringify(card);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});
beforeEach(async () => {
  await t.settle();
});

async function sweep() {
  const result = await t.bot.patrols.sweep(clock.now());
  await t.settle();
  return result.reminders;
}

async function tap(
  who: string,
  message: FakeMessage | undefined,
  value: Record<string, unknown>,
  extra: { formValue?: Record<string, unknown>; option?: string } = {},
) {
  const before = t.fake.messages().length;
  const res = await t.post(
    cardAction({
      operatorOpenId: openId(who),
      value,
      messageId: message?.messageId ?? 'om_x',
      chatId: message?.chatId ?? 'oc_x',
      verificationToken: TEST_APP.verificationToken,
      ...extra,
    }),
    { path: '/webhook/card', clock },
  );
  expect(res.status).toBe(200);
  await t.settle();
  const direct = t.fake
    .messages()
    .slice(before)
    .filter((m) => m.receiveId === openId(who));
  return readAnswer(res.json, direct) as { toast?: { type: string; content: string }; card?: Card; form?: Card };
}

const reminderIn = (chatId: string) =>
  t.fake.messages().find((m) => m.chatId === chatId && textOf(cardOf(m)).includes('巡河'));

// Sequential: one month of reminders on one clock: each test answers or re-runs the reminders the previous ones sent.
describe.sequential('patrol reminders, end to end', () => {
  it('reminds each chief who has not patrolled, in the water body chat, with the duty count', async () => {
    expect(await sweep()).toBeGreaterThan(0);
    const dadu = reminderIn('oc_example_dadu');
    const card = cardOf(dadu);
    expect(card.header.title.content).toBe('巡河提醒');
    expect(textOf(card)).toContain(
      `<at id=${openId('li')}></at> 大渡河（金口河段）本月尚未巡河，截止11月30日（剩7天）；本年已巡河0/12次。`,
    );
    expect(textOf(card)).toContain('"a":"patrol.form","d":"riverChief:li-hezhang:dadu-jinkouhe","p":"2026-11"');
    // 白熊沟 has no chat: its township chief is reminded by direct message.
    const direct = t.fake.messages().find((m) => m.receiveIdType === 'open_id' && m.receiveId === openId('wu'));
    expect(textOf(direct?.content)).toContain('吴某某，白熊沟本月尚未巡河');
    // The general chief's quarterly duty is not due yet on 24 November.
    expect(t.fake.messages().some((m) => textOf(cardOf(m)).includes('全区 · 张某某'))).toBe(false);
  });

  it('never sends the same reminder twice, however often the job runs', async () => {
    const before = t.fake.messages().length;
    await sweep();
    await sweep();
    expect(t.fake.messages()).toHaveLength(before);
  });

  it('refuses a tap from someone who is neither the chief nor the liaison unit, changing nothing', async () => {
    const dadu = reminderIn('oc_example_dadu');
    const answer = await tap('wang', dadu, {
      a: 'patrol.form',
      d: 'riverChief:li-hezhang:dadu-jinkouhe',
      p: '2026-11',
    });
    expect(answer).toEqual({
      toast: { type: 'error', content: '只有区级河湖长本人或其联络员单位人员可以记录这次巡河。' },
    });
    const stranger = await tap('nobody', dadu, {
      a: 'patrol.form',
      d: 'riverChief:li-hezhang:dadu-jinkouhe',
      p: '2026-11',
    });
    expect(stranger.toast?.content).toContain('您不在组织名录中');
  });

  it('says on a township chief’s card what art. 6 says: liaison units record for district chiefs only (issue 15)', async () => {
    const dadu = reminderIn('oc_example_dadu');
    expect(textOf(cardOf(dadu))).toContain('本人或联络员单位均可记录');
    const township = t.fake
      .messages()
      .find((m) => m.receiveId === exampleOpenId('wu') && textOf(cardOf(m)).includes('白熊沟本月尚未巡河'));
    expect(textOf(cardOf(township))).not.toContain('联络员单位均可记录');
    expect(textOf(cardOf(township))).toContain('请本人记录');
    const refused = await tap('sun', dadu, {
      a: 'patrol.form',
      d: 'townshipChief:wu-yonghe:dadu-jinkouhe',
      p: '2026-11',
    });
    expect(refused.toast).toEqual({
      type: 'error',
      content: '乡级、村级河湖长的巡河须由本人记录；联络员单位只承办区级河湖长的巡河调研（协调机制第六条）。',
    });
  });

  it('lets the liaison unit record on the chief’s behalf with taps alone, and updates the card in place', async () => {
    const dadu = reminderIn('oc_example_dadu');
    const value = { a: 'patrol.form', d: 'riverChief:li-hezhang:dadu-jinkouhe', p: '2026-11' };
    const form = await tap('sun', dadu, value);
    // The form opens in the liaison officer's own chat with the bot, not in the shared group card.
    expect(form.toast).toEqual({ type: 'info', content: '“记录巡河”表单已发到您与机器人的单聊，请在单聊中填写。' });
    expect(form.card).toBeUndefined();
    expect(form.form?.header.title.content).toBe('记录巡河');
    expect(textOf(form.form)).toContain('"initial_date":"2026-11-24"');
    const formMessage = t.fake.messages({ receiveId: openId('sun') }).at(-1);
    expect(formMessage?.content).toEqual(form.form);
    expect(cardOf(t.fake.message(dadu!.messageId)).header.title.content).not.toBe('记录巡河');

    const future = await tap(
      'sun',
      formMessage,
      { ...value, a: 'patrol.submit' },
      { formValue: { date: '2026-11-25 +0800', observations: '河面整洁', problems: '' } },
    );
    expect(future).toEqual({ toast: { type: 'error', content: '巡河日期不能晚于今天' } });
    expect(await t.bot.models.patrols.countDocuments()).toBe(0);

    const done = await tap(
      'sun',
      formMessage,
      { ...value, a: 'patrol.submit' },
      {
        formValue: {
          date: '2026-11-24 +0800',
          observations: '河面整洁，水质清澈',
          problems: '永和镇滨河路段河岸有建筑垃圾\n\n',
        },
      },
    );
    expect(done.toast).toEqual({ type: 'success', content: '巡河已记录' });
    expect(done.card?.header.title.content).toBe('巡河已记录');
    expect(textOf(done.card)).toContain('本月巡河已记录（11月24日，由孙某某代为记录）；本年已巡河1/12次。');
    expect(textOf(done.card)).not.toContain('patrol.form');

    const patrol = await t.bot.models.patrols.findOne().lean();
    expect(patrol).toMatchObject({
      chiefId: 'li-hezhang',
      waterBodyId: 'dadu-jinkouhe',
      recordedBy: 'sun-shuiwu',
      observations: '河面整洁，水质清澈',
      problems: ['永和镇滨河路段河岸有建筑垃圾'],
      status: 'recorded',
    });
    // The reminder card already in the chat shows the patrol too.
    expect(cardOf(t.fake.message(dadu!.messageId)).header.title.content).toBe('巡河已记录');
  });

  it('attaches photos and a location replied in the card’s thread to the patrol', async () => {
    const dadu = reminderIn('oc_example_dadu');
    const replyInThread = async (who: string, messageType: string, content: unknown, root = dadu) => {
      clock.advance(1_000); // people take a moment between messages; the per-chat send limit is 5/s
      const before = t.fake.messages().length;
      const event = messageReceived({
        senderOpenId: openId(who),
        chatId: 'oc_example_dadu',
        chatType: 'group',
        messageType,
        content,
        rootId: root?.messageId,
        parentId: root?.messageId,
        token: TEST_APP.verificationToken,
      });
      await t.post(event, { clock });
      await t.settle();
      return t.fake.messages().slice(before)[0]?.content;
    };
    expect(await replyInThread('sun', 'image', { image_key: 'img_v3_river_bank' })).toEqual({
      text: '已将照片附到11月24日的巡河记录。',
    });
    expect(
      await replyInThread('sun', 'location', { name: '永和镇滨河路', latitude: '29.2461', longitude: '103.0866' }),
    ).toEqual({
      text: '已将位置“永和镇滨河路”附到11月24日的巡河记录。',
    });
    expect(await replyInThread('zhou', 'image', { image_key: 'img_other' })).toEqual({
      text: '只有区级河湖长本人或其联络员单位人员的照片和位置会附到巡河记录中。',
    });
    // A township chief's patrol is the chief's own to record (art. 6 names liaison units for district chiefs only).
    const township = t.fake
      .messages()
      .find(
        (m) => m.chatId === 'oc_example_dadu' && textOf(cardOf(m)).includes('townshipChief:wu-yonghe:dadu-jinkouhe'),
      );
    expect(township).toBeDefined();
    expect(await replyInThread('sun', 'image', { image_key: 'img_township' }, township)).toEqual({
      text: '只有河湖长本人的照片和位置会附到巡河记录中（乡级、村级河湖长的巡河由本人记录）。',
    });
    const patrol = await t.bot.models.patrols.findOne().lean();
    expect(patrol?.photoKeys).toEqual([expect.stringMatching(/\/img_v3_river_bank$/)]);
    expect(patrol?.location).toEqual({ name: '永和镇滨河路', latitude: '29.2461', longitude: '103.0866' });
  });

  it('stays quiet after 已安排 until the planned day, and stops once the duty is met', async () => {
    const yeniu = reminderIn('oc_example_yeniu')!;
    const updatesBefore = yeniu.updates.length;
    const answer = await tap(
      'wang',
      yeniu,
      { a: 'patrol.plan', d: 'riverChief:wang-hezhang:yeniu', p: '2026-11' },
      { option: '2026-11-28 +0800' },
    );
    expect(answer.toast).toEqual({ type: 'success', content: '已安排于11月28日巡河，届时前不再提醒' });
    expect(textOf(answer.card)).toContain('已安排于 **11月28日** 巡河');
    // The tapped reminder is updated once (Feishu allows five updates a second per message).
    await t.settle();
    expect(yeniu.updates.length - updatesBefore).toBe(1);
    expect(textOf(yeniu.updates.at(-1))).toContain('已安排于 **11月28日** 巡河');

    clock.set('2026-11-27T09:05:00+08:00'); // Friday: the d2 stage
    const before = t.fake.messages().length;
    await sweep();
    const fresh = t.fake.messages().slice(before);
    expect(fresh.some((m) => m.chatId === 'oc_example_dadu' && textOf(m.content).includes(openId('li')))).toBe(false); // li has patrolled
    expect(fresh.some((m) => textOf(m.content).includes(openId('wang')))).toBe(false); // wang planned the 28th
    expect(fresh.some((m) => textOf(m.content).includes('剩4天'))).toBe(true); // others get the d2 reminder
  });

  it('sends 查看责任河湖 privately, with a record button per duty', async () => {
    const dadu = reminderIn('oc_example_dadu');
    const answer = await tap('wu', dadu, { a: 'patrol.duties' });
    expect(answer.toast).toEqual({ type: 'info', content: '已私信发送您的责任河湖' });
    const list = t.fake
      .messages()
      .find((m) => m.receiveId === openId('wu') && textOf(m.content).includes('我的责任河湖'));
    expect(textOf(list?.content)).toContain('我的责任河湖');
    expect(textOf(list?.content)).toContain('大渡河（金口河段）');
    expect(textOf(list?.content)).toContain('白熊沟');
  });

  it('tells a chief privately once when a month ends unmet, and the office gets a daily digest', async () => {
    clock.set('2026-12-01T09:05:00+08:00'); // Tuesday after November ends
    const before = t.fake.messages().length;
    const result = await t.bot.patrols.sweep(clock.now());
    await t.settle();
    expect(result.digest).toBe(true);
    const fresh = t.fake.messages().slice(before);
    const toWang = fresh.filter((m) => m.receiveId === openId('wang') && textOf(m.content).includes('巡河逾期提醒'));
    expect(toWang).toHaveLength(1);
    expect(textOf(toWang[0]?.content)).toContain(
      '王某某，您好：野牛河2026年11月未记录巡河（区级河湖长每月至少巡河1次）。如已巡河，请点击下方补记。',
    );
    expect(fresh.some((m) => m.receiveId === openId('li') && textOf(m.content).includes('逾期'))).toBe(false);
    expect(fresh.some((m) => m.chatId === 'oc_example_yeniu' && textOf(m.content).includes('逾期'))).toBe(false); // never in the group
    const digest = fresh.find((m) => m.chatId === 'oc_example_hezhangban');
    expect(textOf(digest?.content)).toContain('区级河湖长 王某某 · 野牛河 · 2026年11月巡河0/1次');
    expect(textOf(digest?.content)).not.toContain('李某某');

    // Run again the same day: nothing new.
    const count = t.fake.messages().length;
    await t.bot.patrols.sweep(clock.now());
    await t.settle();
    expect(t.fake.messages()).toHaveLength(count);
  });

  it('lets the chief make up a late record from the overdue card, which clears the next digest', async () => {
    const notice = t.fake
      .messages()
      .find((m) => m.receiveId === openId('wang') && textOf(m.content).includes('巡河逾期提醒'));
    const value = { a: 'patrol.submit', d: 'riverChief:wang-hezhang:yeniu', p: '2026-11' };
    const done = await tap('wang', notice, value, {
      formValue: {
        date: '2026-11-28 +0800',
        observations: '11月28日巡查野牛河，未发现问题',
        problems: '',
        lateReason: '巡河后未及时录入',
      },
    });
    expect(done.toast?.content).toBe('巡河已记录');
    clock.set('2026-12-02T09:05:00+08:00');
    const before = t.fake.messages().length;
    await t.bot.patrols.sweep(clock.now());
    await t.settle();
    const digest = t.fake
      .messages()
      .slice(before)
      .find((m) => m.chatId === 'oc_example_hezhangban');
    expect(digest).toBeDefined();
    expect(textOf(digest?.content)).not.toContain('王某某');
  });

  it('stops the digest a week after the period ended', async () => {
    clock.set('2026-12-09T09:05:00+08:00');
    const before = t.fake.messages().length;
    expect((await t.bot.patrols.sweep(clock.now())).digest).toBe(false);
    await t.settle();
    expect(
      t.fake
        .messages()
        .slice(before)
        .some((m) => m.chatId === 'oc_example_hezhangban'),
    ).toBe(false);
  });
});
