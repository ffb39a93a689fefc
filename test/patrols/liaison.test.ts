import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { cardAction, messageReceived } from '../../src/feishu/fake/event-builders.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { readAnswer } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** Art. 6 and 9: the liaison unit's 明查暗访 and 重难点问题 reach the chief's reminder card. */

const clock = new ManualClock('2026-11-20T09:05:00+08:00'); // Friday: 10 days before the end falls on Saturday the 21st
const t = useTestBot({ clock });
const text = (x: unknown) => JSON.stringify(x);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

async function say(who: string, line: string) {
  const before = t.fake.messages().length;
  const event = messageReceived({
    text: line,
    senderOpenId: exampleOpenId(who),
    chatId: `oc_p2p_${who}`,
    chatType: 'p2p',
    token: TEST_APP.verificationToken,
  });
  await t.post(event, { clock });
  await t.settle();
  return t.fake.messages().slice(before)[0]?.content;
}

// Sequential: the later tests answer the request the first one sent and read what earlier ones reported.
describe.sequential('liaison unit before a patrol', () => {
  it('asks the liaison unit for its 明查暗访 in its own chat, once', async () => {
    await t.bot.patrols.sweep(clock.now());
    await t.bot.patrols.sweep(clock.now());
    await t.settle();
    const requests = t.fake.messages().filter((m) => text(m.content).includes('请做好巡河前的明查暗访'));
    expect(requests.map((m) => m.chatId).sort()).toEqual(['oc_example_shengtai', 'oc_example_shuiwu']);
    expect(text(requests.find((m) => m.chatId === 'oc_example_shuiwu')?.content)).toContain(
      '李某某（区级河湖长）本期巡河截止11月30日',
    );
    // Chiefs themselves are not reminded yet (their first stage is the 24th).
    expect(t.fake.messages().some((m) => text(m.content).includes('巡河提醒'))).toBe(false);
  });

  it('takes the report from the liaison unit and refuses others', async () => {
    const request = t.fake.messages().find((m) => m.chatId === 'oc_example_shuiwu');
    const value = { a: 'patrol.focus', w: 'dadu-jinkouhe', p: '2026-11' };
    const tap = async (who: string, formValue: Record<string, unknown>) => {
      const res = await t.post(
        cardAction({
          operatorOpenId: exampleOpenId(who),
          value,
          formValue,
          messageId: request?.messageId ?? 'om',
          chatId: 'oc_example_shuiwu',
          verificationToken: TEST_APP.verificationToken,
        }),
        { path: '/webhook/card', clock },
      );
      await t.settle();
      return readAnswer(res.json);
    };
    expect((await tap('zhou', { clues: '无关人员报送' })).toast?.content).toBe(
      '只有该河湖的联络员单位或区河长制办公室人员可以报送。',
    );
    expect((await tap('sun', {})).toast?.content).toBe('请至少填写一条问题线索或乡镇需协调解决的事项');
    const done = await tap('sun', {
      clues: '永和镇新民村段疑似有生活污水直排',
      requests: '共安彝族乡请求协调河道清淤经费',
    });
    expect(done.toast?.content).toBe('已报送，将显示在河湖长的巡河提醒上');
    expect(text(done.card)).toContain('明查暗访情况已报送');
    expect(text(done.card)).toContain(
      '1. 问题线索：永和镇新民村段疑似有生活污水直排\\n2. 乡镇诉求：共安彝族乡请求协调河道清淤经费',
    );
  });

  it('keeps the 重难点问题 list from /重难点, for the liaison unit only', async () => {
    expect(await say('li', '/重难点 大渡河 河道采砂管理')).toEqual({
      text: '只有该河湖的联络员单位或区河长制办公室人员可以报送。',
    });
    expect(await say('sun', '/重难点 大渡河\n1. 汛期河道淤积\n2. 沿河养殖废水收集不全')).toEqual({
      text: '已更新大渡河（金口河段）的重难点问题，共 2 条。',
    });
    expect(await say('sun', '/重难点 河 xx')).toEqual({
      text: '“河”对应多条河湖：大渡河（金口河段）、野牛河，请写得更完整些',
    });
  });

  it('shows both on the chief’s reminder card and form', async () => {
    clock.set('2026-11-24T09:05:00+08:00');
    await t.bot.patrols.sweep(clock.now());
    await t.settle();
    const reminder = t.fake
      .messages()
      .find((m) => m.chatId === 'oc_example_dadu' && text(m.content).includes('巡河提醒'));
    expect(text(reminder?.content)).toContain(
      '**本次巡河关注事项**\\n1. 问题线索：永和镇新民村段疑似有生活污水直排\\n2. 乡镇诉求：共安彝族乡请求协调河道清淤经费',
    );
    expect(text(reminder?.content)).toContain('**重难点问题**\\n1. 汛期河道淤积\\n2. 沿河养殖废水收集不全');
    const form = await t.post(
      cardAction({
        operatorOpenId: exampleOpenId('li'),
        value: { a: 'patrol.form', d: 'riverChief:li-hezhang:dadu-jinkouhe', p: '2026-11' },
        messageId: reminder?.messageId ?? 'om',
        chatId: 'oc_example_dadu',
        verificationToken: TEST_APP.verificationToken,
      }),
      { path: '/webhook/card', clock },
    );
    expect(readAnswer(form.json).toast?.type).toBe('info');
    await t.settle();
    // The form opens in the chief's own chat with the bot.
    expect(text(t.fake.messages({ receiveId: exampleOpenId('li') }).at(-1)?.content)).toContain('本次巡河关注事项');
  });
});
