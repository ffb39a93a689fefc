import { beforeEach, describe, expect, it } from 'vitest';
import { botMenu, messageReceived } from '../../src/feishu/fake/event-builders.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { TEST_APP } from '../helpers/bot.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** `/help` end to end: a signed event in, a card out through the real SDK and the fake Feishu. */

const token = TEST_APP.verificationToken;
const t = useTestBot();
beforeEach(async () => {
  await t.settle();
  t.fake.reset();
});

type CardContent = {
  header: { title: { content: string } };
  body: { elements: Array<{ tag: string; content?: string }> };
};

function cardText(message: FakeMessage | undefined): string {
  const card = message?.content as CardContent;
  return [card.header.title.content, ...card.body.elements.map((e) => e.content ?? '')].join('\n');
}

async function say(text: string, options: { chatType?: 'p2p' | 'group'; mentionBot?: boolean; sender?: string } = {}) {
  const sender = options.sender ?? 'ou_example_zhang';
  const chatType = options.chatType ?? 'p2p';
  const event = messageReceived({
    text: options.mentionBot ? `@_user_1 ${text}` : text,
    senderOpenId: sender,
    chatId: chatType === 'p2p' ? `oc_p2p_${sender}` : 'oc_example_dadu_group',
    chatType,
    mentions: options.mentionBot ? [{ key: '@_user_1', openId: t.fake.botOpenId, name: '河湖长助手' }] : [],
    token,
  });
  expect((await t.post(event)).status).toBe(200);
  await t.settle();
  return event;
}

describe('/help', () => {
  it('answers /帮助 in a direct chat with the help card, as a reply', async () => {
    const event = await say('/帮助');
    const [reply] = t.fake.messages();
    expect(reply).toMatchObject({ msgType: 'interactive', parentId: event.event.message.message_id });
    const text = cardText(reply);
    expect(text).toContain('河湖长助手 · 使用帮助');
    expect(text).toContain('**/帮助 或 /help**');
    expect(text).toContain('在此直接输入命令即可');
    expect((reply?.content as { config: { update_multi: boolean } }).config.update_multi).toBe(true);
  });

  it('answers the English alias and a full-width slash alike', async () => {
    await say('/help');
    await say('／帮助', { sender: 'ou_example_li' });
    expect(t.fake.messages().map((m) => m.msgType)).toEqual(['interactive', 'interactive']);
  });

  it('answers in a group only when the bot is @-mentioned', async () => {
    await say('/帮助', { chatType: 'group' });
    expect(t.fake.messages()).toHaveLength(0);
    await say('/帮助', { chatType: 'group', mentionBot: true });
    const [reply] = t.fake.messages();
    expect(cardText(reply)).toContain('在群聊中请先 @河湖长助手 再输入命令');
  });

  it('suggests the nearest command for a typo', async () => {
    await say('/hepl');
    expect(t.fake.messages()[0]?.content).toEqual({ text: '未识别的命令“/hepl”，您是不是要找 /帮助？' });
  });

  it('says how to start when a direct message is not a command', async () => {
    await say('你好');
    expect(t.fake.messages()[0]?.content).toEqual({ text: '您好！请输入 /帮助 查看我能做什么。' });
  });

  it('opens the help card from the bot menu, by direct message', async () => {
    const res = await t.post(botMenu({ operatorOpenId: 'ou_example_wang', eventKey: 'help', token }));
    expect(res.status).toBe(200);
    await t.settle();
    const [message] = t.fake.messages();
    expect(message).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_example_wang', msgType: 'interactive' });
    expect(cardText(message)).toContain('使用帮助');
  });
});
