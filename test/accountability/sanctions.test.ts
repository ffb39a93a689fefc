import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SanctionStore } from '../../src/store/sanction-store.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * 提示、通报、约谈 (seed art. 20–21) through Feishu: who may issue each, what the unit gets,
 * bad input refused with nothing recorded, and a 约谈 from scheduling through its record, the
 * 复核 reminder on the review day, the review and the referral of the case.
 */

const clock = new ManualClock('2026-12-01T10:00:00+08:00'); // Tuesday
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const openId = exampleOpenId;
const store = () => new SanctionStore(t.bot.models);
const to = (who: string, needle: string) =>
  t.fake.messages().filter((m) => m.receiveId === openId(who) && text(m.content).includes(needle));
const toChat = (chat: string, needle: string) =>
  t.fake.messages().filter((m) => m.chatId === chat && text(m.content).includes(needle));
let issueNumber = '';
let issueId = '';

beforeAll(async () => {
  // 赵某某 heads 区总河长办公室: an office head may call a 约谈 too (art. 21).
  await importExampleDistrict(t.fake, t.bot.models, clock, (yaml) =>
    yaml.replace(
      'kind: generalChiefOffice, members: [zhao-zhuren]',
      'kind: generalChiefOffice, head: zhao-zhuren, members: [zhao-zhuren]',
    ),
  );
  const issue = await t.bot.issues.report({
    waterBodyId: 'dadu-jinkouhe',
    townshipId: 'yonghe',
    place: '滨河路段',
    description: '岸坡垮塌',
    category: '河岸',
    urgency: 'normal',
    source: { kind: 'office' },
    foundBy: 'qian-hezhangban',
    foundAt: clock.now(),
    reportedBy: 'qian-hezhangban',
  });
  issueNumber = issue.number;
  issueId = issue.id;
  await t.settle();
});

describe('提示 and 通报', () => {
  it('are for the offices only', async () => {
    const answer = await say('wu', { text: '/提示 金河镇' });
    expect(textOf(answer[0])).toContain('只有区总河长办公室、区河长制办公室可以发出提示。');
  });

  it('the office names the unit in the command, fills in the form, and the unit gets the 提示 with the problem it is about', async () => {
    const [form] = await say('qian', { text: '/提示 永和镇 大渡河岸坡垮塌问题逾期未整改' });
    expect(text(form?.content)).toContain('"initial_option":"yonghe"');
    expect(text(form?.content)).toContain('大渡河岸坡垮塌问题逾期未整改');

    // A problem number that does not exist: refused, nothing recorded.
    const wrong = await tap(
      'qian',
      { a: 'sanction.issue' },
      { kind: 'prompt', unit: 'yonghe', reason: '逾期未整改', issues: '9999' },
      'om_form_prompt',
    );
    expect(wrong.toast).toEqual({ type: 'error', content: '找不到问题编号“9999”，请核对后重新填写' });
    const empty = await tap(
      'qian',
      { a: 'sanction.issue' },
      { kind: 'prompt', unit: 'yonghe', reason: ' ' },
      'om_form_prompt',
    );
    expect(empty.toast).toEqual({ type: 'error', content: '请填写事由' });
    expect(await store().ofYear(2026)).toEqual([]);

    const seq = issueNumber.match(/(\d+)号$/)?.[1] ?? '';
    const done = await tap(
      'qian',
      { a: 'sanction.issue' },
      { kind: 'prompt', unit: 'yonghe', reason: '大渡河岸坡垮塌问题逾期未整改', issues: seq },
      'om_form_prompt',
    );
    expect(done.toast?.content).toBe('提示已发出');
    expect(text(done.card)).toContain('河湖长制提示 · 永和镇');
    // The same form submitted again (a double tap) issues nothing new.
    await tap(
      'qian',
      { a: 'sanction.issue' },
      { kind: 'prompt', unit: 'yonghe', reason: '大渡河岸坡垮塌问题逾期未整改', issues: seq },
      'om_form_prompt',
    );

    const cards = to('wu', '河湖长制提示 · 永和镇');
    expect(cards).toHaveLength(1);
    expect(text(cards[0]?.content)).toContain(`${issueNumber} 岸坡垮塌（登记）`);
    expect(text(cards[0]?.content)).toContain('计入年度考核扣分依据');
    expect(toChat('oc_example_zongheban', '河湖长制提示 · 永和镇')).toHaveLength(1);
    expect(await store().ofYear(2026)).toMatchObject([
      { kind: 'prompt', unitId: 'yonghe', issueIds: [issueId], issuedBy: 'qian-hezhangban' },
    ]);
  });

  it('the General Chief Office may issue a 通报 as well', async () => {
    const [form] = await say('zhao', { text: '/bulletin' });
    expect(text(form?.content)).toContain('发出通报');
    const done = await tap(
      'zhao',
      { a: 'sanction.issue' },
      { kind: 'bulletin', unit: 'jinhe', reason: '野牛河网箱养殖整治推进迟缓' },
      'om_form_bulletin',
    );
    expect(done.toast?.content).toBe('通报已发出');
    // 金河镇 has no chat: its members get it directly.
    expect(to('zheng', '河湖长制通报批评 · 金河镇')).toHaveLength(1);
    expect((await store().ofYear(2026, 'jinhe')).map((s) => s.kind)).toEqual(['bulletin']);
    // A 通报 may praise as well: a bonus in the assessment, not a deduction.
    await tap(
      'zhao',
      { a: 'sanction.issue' },
      { kind: 'praise', unit: 'yonghe', reason: '河道保洁长效机制成效明显' },
      'om_form_praise',
    );
    expect(text(to('wu', '河湖长制通报表扬 · 永和镇')[0]?.content)).toContain('计入永和镇年度考核加分');
    expect((await store().ofYear(2026, 'yonghe')).map((s) => [s.kind, s.praise ?? false])).toEqual([
      ['prompt', false],
      ['bulletin', true],
    ]);
  });
});

describe('a unit nobody in the directory can receive for', () => {
  it('still records the 提示, and tells the issuer it could not be delivered', async () => {
    const done = await tap(
      'qian',
      { a: 'sanction.issue' },
      { kind: 'prompt', unit: 'heping', reason: '巡河记录缺失' },
      'om_form_heping',
    );
    expect(done.toast).toEqual({
      type: 'warning',
      content: '已记录，但和平彝族乡在组织名录中没有群聊或成员，未能送达，请补充名录后转告该单位。',
    });
    expect((await store().ofYear(2026, 'heping')).map((s) => s.kind)).toEqual(['prompt']);
  });
});

// Sequential: one 约谈 called, recorded, reminded of and reviewed: each test takes it on from the last.
describe.sequential('约谈', () => {
  let id = '';
  let version = 1;
  const form = {
    unit: 'jinhe',
    interviewee: '金河镇镇长',
    initiator: 'li-hezhang',
    reason: '野牛河网箱养殖问题经通报仍未整改',
    date: '2026-12-03 +0800',
    time: '09:30',
    place: '区水务局三楼会议室',
    people: [openId('sun')],
  };

  it('is called by a 区级河湖长 or an office head, in their own name; others are refused', async () => {
    expect(textOf((await say('wu', { text: '/约谈' }))[0])).toContain(
      '约谈由区总河长、区级河湖长或区总河长办公室、区河长制办公室负责人发起',
    );
    const [card] = await say('li', { text: '/约谈 金河镇' });
    expect(text(card?.content)).toContain('"initial_option":"li-hezhang"');
    expect(text(card?.content)).toContain('"initial_option":"jinhe"');
    // The office head is offered as an initiator; a township chief is not.
    const initiators = text(card?.content).split('"name":"initiator"')[1]?.split('"name":"reason"')[0] ?? '';
    expect([...initiators.matchAll(/"value":"([^"]+)"/g)].map((m) => m[1])).toEqual([
      'zhang-zonghezhang',
      'li-hezhang',
      'wang-hezhang',
      'zhao-zhuren',
    ]);
    expect(
      (await tap('li', { a: 'admonition.schedule' }, { ...form, initiator: 'wang-hezhang' }, 'om_form_adm')).toast
        ?.content,
    ).toBe('您只能以本人名义发起约谈。');
    expect(
      (await tap('li', { a: 'admonition.schedule' }, { ...form, time: '9点半' }, 'om_form_adm')).toast?.content,
    ).toBe('开始时间格式不对，例如 09:30');
    expect(await store().ofYear(2026, 'jinhe')).toHaveLength(1);

    const done = await tap('li', { a: 'admonition.schedule' }, form, 'om_form_adm');
    expect(done.toast?.content).toBe('约谈通知已发出');
    const [admonition] = (await store().ofYear(2026, 'jinhe')).filter((s) => s.kind === 'admonition');
    id = admonition!.id;
    expect(admonition?.admonition).toMatchObject({
      initiatorId: 'li-hezhang',
      interviewee: '金河镇镇长',
      participants: ['sun-shuiwu'],
      stage: 'scheduled',
    });
    for (const who of ['zheng', 'li', 'sun']) expect(to(who, '河湖长制约谈 · 金河镇')).toHaveLength(1);
    expect(toChat('oc_example_hezhangban', '2026年12月3日上午9时30分')).toHaveLength(1);
  });

  it('is recorded by the office, once it has taken place, with commitments and a review date', async () => {
    expect((await tap('wu', { a: 'admonition.stepForm', id, v: version, s: 'record' })).toast?.content).toBe(
      '约谈的记录、复核和移交由区河长制办公室办理。',
    );
    const stepForm = await tap('qian', { a: 'admonition.stepForm', id, v: version, s: 'record' });
    expect(text(stepForm.form)).toContain('记录约谈情况');
    const record = {
      record: '指出网箱养殖整治推进迟缓，镇长作了说明',
      commitments: '12月20日前拆除全部网箱',
      date: '2026-12-21 +0800',
    };
    expect((await tap('qian', { a: 'admonition.step', id, v: version, s: 'record' }, record)).toast?.content).toBe(
      '约谈尚未开始，开始后再记录约谈情况。',
    );

    clock.set('2026-12-03T11:00:00+08:00');
    expect(
      (
        await tap(
          'qian',
          { a: 'admonition.step', id, v: version, s: 'record' },
          { ...record, date: '2026-12-02 +0800' },
        )
      ).toast?.content,
    ).toBe('复核日期应在今天之后。');
    const done = await tap('qian', { a: 'admonition.step', id, v: version, s: 'record' }, record);
    expect(done.toast?.content).toBe('约谈情况已记录');
    expect(text(done.card)).toContain('12月20日前拆除全部网箱');
    expect(text(done.card)).toContain('2026年12月21日');
    version += 1;
    // Every delivered copy shows the record.
    const copy = to('zheng', '河湖长制约谈 · 金河镇')[0];
    expect(text(t.fake.message(copy!.messageId)?.updates.at(-1))).toContain('已约谈，待复核');
    // A second tap on the old card is answered with the card as it stands.
    const stale = await tap('qian', { a: 'admonition.step', id, v: version - 1, s: 'record' }, record);
    expect(stale.toast?.type).toBe('warning');
  });

  it('reminds the office and the initiator to review on the review day, once that day', async () => {
    const sweepAt = async (iso: string) => {
      clock.set(iso);
      const n = await t.bot.sanctions.sweep(clock.now());
      await t.settle();
      return n;
    };
    expect(await sweepAt('2026-12-20T09:30:00+08:00')).toBe(0);
    expect(await sweepAt('2026-12-21T09:05:00+08:00')).toBe(1);
    await sweepAt('2026-12-21T10:05:00+08:00');
    expect(toChat('oc_example_hezhangban', '约谈复核提醒')).toHaveLength(1);
    expect(to('li', '约谈复核提醒')).toHaveLength(1);
    expect(textOf(to('li', '约谈复核提醒')[0])).toContain('12月20日前拆除全部网箱');
    // /逾期 lists it for the office until it is reviewed; the unit cannot open the card's record.
    const [overdue] = await say('qian', { text: '/逾期' });
    expect(text(overdue?.content)).toContain('约谈待复核 · 金河镇');
    expect((await tap('wu', { a: 'sanction.view', id })).toast?.content).toBe('您与该记录无关，无法查看。');
    expect(text((await tap('zheng', { a: 'sanction.view', id })).card)).toContain('已约谈，待复核');
  });

  it('records the review, then the referral of the case, after which the reminders stop', async () => {
    expect(
      (await tap('qian', { a: 'admonition.step', id, v: version, s: 'refer' }, { body: '', date: '2026-12-21 +0800' }))
        .toast?.content,
    ).toBe('请填写接收单位');
    const reviewed = await tap(
      'qian',
      { a: 'admonition.step', id, v: version, s: 'review' },
      { outcome: 'unfulfilled', note: '现场仍有网箱 12 口' },
    );
    expect(reviewed.toast?.content).toBe('复核结果已记录');
    expect(text(reviewed.card)).toContain('未落实');
    version += 1;
    expect(await t.bot.sanctions.sweep(new Date('2026-12-22T09:05:00+08:00'))).toBe(0);

    const referred = await tap(
      'qian',
      { a: 'admonition.step', id, v: version, s: 'refer' },
      { body: '区纪委监委', date: '2026-12-21 +0800', note: '移交约谈记录和复核材料' },
    );
    expect(referred.toast?.content).toBe('问题线索移交已记录');
    expect(text(referred.card)).toContain('2026年12月21日移交区纪委监委');
    version += 1;
    expect(textOf(to('li', '问题线索已于')[0])).toContain('金河镇约谈事项的问题线索已于2026年12月21日移交区纪委监委。');
    expect(
      (
        await tap(
          'qian',
          { a: 'admonition.step', id, v: version, s: 'refer' },
          { body: '区纪委监委', date: '2026-12-21 +0800' },
        )
      ).toast?.content,
    ).toBe('问题线索已移交。');
    expect((await store().get(id))?.admonition).toMatchObject({
      stage: 'reviewed',
      review: { outcome: 'unfulfilled', by: 'qian-hezhangban' },
      referral: { body: '区纪委监委', by: 'qian-hezhangban' },
    });
  });
});
