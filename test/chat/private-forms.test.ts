import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { messageReceived } from '../../src/feishu/fake/event-builders.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { REGISTRATION_FORM } from '../factories/issue.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * Card JSON 2.0 cards are shared: whatever replaces a card in a group replaces it for every
 * member. So a form is always filled in the person's own chat with the bot, and an outcome
 * reaches the message itself (PATCH), not only the callback's answer.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap } = peopleChat(t, clock);
const OFFICE_CHAT = 'oc_example_hezhangban';
const NUMBER = '金口河〔2026〕第0001号';

const current = (m: FakeMessage | undefined) => m?.updates.at(-1) ?? m?.content;
const directTo = (who: string) => t.fake.messages({ receiveIdType: 'open_id', receiveId: exampleOpenId(who) });

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

describe('forms are private to the person filling them', () => {
  it('answers /登记 in a group with a note there and the form in the person’s direct chat', async () => {
    clock.advance(1_000);
    const before = t.fake.messages().length;
    await t.post(
      messageReceived({
        text: '@_user_1 /登记',
        senderOpenId: exampleOpenId('qian'),
        chatId: OFFICE_CHAT,
        chatType: 'group',
        mentions: [{ key: '@_user_1', openId: t.fake.botOpenId, name: '河湖长助手' }],
        token: TEST_APP.verificationToken,
      }),
      { clock },
    );
    await t.settle();
    const sent = t.fake.messages().slice(before);
    expect(sent.map(textOf).filter(Boolean)).toEqual(['“登记问题”表单已发到您与机器人的单聊，请在单聊中填写。']);
    expect(sent.some((m) => m.chatId === OFFICE_CHAT && m.msgType === 'interactive')).toBe(false);
    expect(text(directTo('qian').at(-1)?.content)).toContain('"a":"issue.create"');
  });

  it('patches the submitted form into the outcome, so it shows even if Feishu ignored the answer', async () => {
    const form = directTo('qian').at(-1)!;
    const done = await tap('qian', { a: 'issue.create' }, REGISTRATION_FORM, form.messageId);
    expect(done.toast?.content).toBe('问题已登记，已送区河长制办公室交办');
    expect(text(done.card)).toContain(NUMBER);
    // The same card reached the form message through the message API.
    expect(current(t.fake.message(form.messageId))).toEqual(done.card);
  });

  it('opens 交办 from the group’s problem card in the tapper’s direct chat, leaving the group card as it was', async () => {
    const groupCard = t.fake.messages().find((m) => m.chatId === OFFICE_CHAT && text(m.content).includes(NUMBER))!;
    const shownBefore = current(groupCard);
    const issue = (await t.bot.models.issues.findOne({ seq: 1 }).lean())!;
    const opened = await tap(
      'qian',
      { a: 'issue.form', id: issue.key, v: issue.version, t: 'assign' },
      undefined,
      groupCard.messageId,
    );
    expect(opened.toast).toEqual({ type: 'info', content: '“交办问题”表单已发到您与机器人的单聊，请在单聊中填写。' });
    expect(opened.card).toBeUndefined();
    expect(text(opened.form)).toContain('交办问题');
    expect(current(t.fake.message(groupCard.messageId))).toEqual(shownBefore);
  });
});
