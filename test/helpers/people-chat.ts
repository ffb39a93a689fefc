import { expect } from 'vitest';
import type { ManualClock } from '../../src/domain/clock.js';
import { checkCallbackAnswer } from '../../src/feishu/fake/card-checks.js';
import { cardAction, messageReceived, type PostInput } from '../../src/feishu/fake/event-builders.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { TEST_APP } from './bot.js';
import { exampleOpenId } from './district.js';
import type { FileTestBot } from './use-test-bot.js';

/**
 * What a tap showed the person: the answer's toast, the card Feishu puts in place of the
 * tapped one (`answer.card.data`), and a form the bot opened for them in their direct chat.
 */
export type Reply = { toast?: { type: string; content: string }; card?: unknown; form?: unknown };

/**
 * Holds a callback answer to Feishu's shape, `{ toast?, card?: { type: "raw", data } }`
 * (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication),
 * and reads it as the person sees it.
 */
export function readAnswer(answer: unknown, privateCards: FakeMessage[] = []): Reply {
  expect(checkCallbackAnswer(answer)).toEqual([]);
  const { toast, card } = answer as { toast?: Reply['toast']; card?: { data: unknown } };
  const form = privateCards.find((m) => m.msgType === 'interactive')?.content;
  return { ...(toast && { toast }), ...(card && { card: card.data }), ...(form !== undefined && { form }) };
}

export interface SaidMessage {
  text?: string;
  messageType?: string;
  content?: unknown;
  /** A rich-text message (text with inline pictures, @s, links), delivered as Feishu does. */
  post?: PostInput;
  rootId?: string;
  /** A group chat; without it the message is a direct message to the bot. */
  chatId?: string;
}

/**
 * The example district's people using the bot through the fake Feishu: `tap` sends a signed
 * card callback, `say` a message event; each waits until the bot has answered and moves the
 * clock on a second (sends to one chat are rate-limited, and the clock never goes back).
 */
export function peopleChat(t: FileTestBot, clock: ManualClock) {
  async function tap(
    who: string,
    value: Record<string, unknown>,
    formValue?: Record<string, unknown>,
    messageId = 'om_card',
  ): Promise<Reply> {
    clock.advance(1_000);
    const before = t.fake.messages().length;
    const res = await t.post(
      cardAction({
        operatorOpenId: exampleOpenId(who),
        value,
        formValue,
        messageId,
        chatId: 'oc_x',
        verificationToken: TEST_APP.verificationToken,
      }),
      {
        path: '/webhook/card',
        clock,
      },
    );
    expect(res.status).toBe(200);
    await t.settle();
    const direct = t.fake
      .messages()
      .slice(before)
      .filter((m) => m.receiveIdType === 'open_id' && m.receiveId === exampleOpenId(who));
    return readAnswer(res.json, direct);
  }

  /** Sends a message as `who`; returns what the bot sent meanwhile. */
  async function say(who: string, input: SaidMessage): Promise<FakeMessage[]> {
    clock.advance(1_000);
    const before = t.fake.messages().length;
    await t.post(
      messageReceived({
        senderOpenId: exampleOpenId(who),
        chatId: input.chatId ?? `oc_p2p_${who}`,
        chatType: input.chatId !== undefined ? 'group' : 'p2p',
        text: input.text,
        messageType: input.messageType,
        content: input.content,
        post: input.post,
        rootId: input.rootId,
        parentId: input.rootId,
        token: TEST_APP.verificationToken,
      }),
      { clock },
    );
    await t.settle();
    return t.fake.messages().slice(before);
  }

  return { tap, say };
}

/** A message's card or text as one string, for `toContain`. */
export const text = (x: unknown) => JSON.stringify(x);

/** The words of a text message; empty for anything else. */
export const textOf = (m: FakeMessage | undefined) =>
  m?.msgType === 'text' ? (m.content as { text: string }).text : '';
