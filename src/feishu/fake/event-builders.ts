import { type Clock, systemClock } from '../../domain/clock.js';
import { computeSignature, encryptPayload } from '../transport/crypto.js';
import { callbackTokenFor } from './callback-token.js';
import { randomHex, userIdsFor } from './fake-ids.js';

/**
 * Event payloads exactly as Feishu posts them to the bot's callback URL, and the sealing
 * (encryption and X-Lark-Signature) it applies, for tests and local mode to drive the
 * bot's webhook. Ids nobody asked for are random, so repeated builds are new deliveries.
 */

/** Fields every v2 envelope header carries; `token` is the verification token. */
export interface EnvelopeOptions {
  eventId?: string;
  /** Milliseconds since epoch, as a string. */
  createTime?: string;
  token?: string;
  appId?: string;
  tenantKey?: string;
  clock?: Clock;
}

export interface V2Envelope<E> {
  schema: '2.0';
  header: {
    event_id: string;
    event_type: string;
    create_time: string;
    token: string;
    app_id: string;
    tenant_key: string;
  };
  event: E;
}

const DEFAULT_APP_ID = 'cli_fake';
const DEFAULT_TENANT_KEY = 'fake_tenant';

function envelope<E>(eventType: string, event: E, options: EnvelopeOptions): V2Envelope<E> {
  return {
    schema: '2.0',
    header: {
      event_id: options.eventId ?? randomHex(16),
      event_type: eventType,
      create_time: options.createTime ?? String((options.clock ?? systemClock).now().getTime()),
      token: options.token ?? '',
      app_id: options.appId ?? DEFAULT_APP_ID,
      tenant_key: options.tenantKey ?? DEFAULT_TENANT_KEY,
    },
    event,
  };
}

// ---- im.message.receive_v1 ----

/**
 * One element of a rich-text message as a person writes it. `messageReceived` turns these
 * into the received post content Feishu delivers (接收消息内容结构, 富文本 post:
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/events/message_content):
 * an `at` becomes `{ tag: "at", user_id: "@_user_N", user_name }` with the person in the
 * event's `mentions` under that key, as in text messages.
 */
export type PostInputElement =
  | { tag: 'text'; text: string }
  | { tag: 'a'; text: string; href: string }
  | { tag: 'at'; openId: string; name: string }
  /** @所有人 */
  | { tag: 'at'; all: true }
  | { tag: 'img'; imageKey: string; width?: number; height?: number }
  /** A video: its file and its cover picture. */
  | { tag: 'media'; fileKey: string; imageKey: string }
  | { tag: 'emotion'; emojiType: string }
  | { tag: 'code_block'; text: string; language?: string }
  | { tag: 'hr' };

/** A rich-text message: an optional title and paragraphs of elements. */
export interface PostInput {
  title?: string;
  paragraphs: PostInputElement[][];
}

export interface MessageReceivedInput extends EnvelopeOptions {
  text?: string;
  senderOpenId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  /** Keys such as `@_user_1` must also appear in `text`, as Feishu writes them. */
  mentions?: Array<{ key: string; openId: string; name: string }>;
  messageId?: string;
  rootId?: string;
  parentId?: string;
  threadId?: string;
  /** `text` when omitted; pass `content` for any other type. */
  messageType?: string;
  /** The message content object (or its JSON string); `{ text }` when omitted. */
  content?: unknown;
  /** A rich-text message: sets `message_type: "post"`, its content, and the mentions of its @s. */
  post?: PostInput;
}

type FeishuMention = { key: string; openId: string; name: string };

/**
 * A post's content as a received message carries it: bare `{ title, content }`, no locale
 * level (that is only for sending), `title` empty when there is none, `style: []` on text.
 * A picture or video is a paragraph of its own ("图片、视频元素必须是独立的一个段落",
 * 发送消息内容结构, https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/create_json),
 * so one written among words is split out the way the client sends it. Each person @-ed gets
 * the next `@_user_N` key after those already taken.
 */
function postContent(post: PostInput, taken: number): { content: string; mentions: FeishuMention[] } {
  const mentions: FeishuMention[] = [];
  const paragraphs: Array<Array<Record<string, unknown>>> = [];
  for (const paragraph of post.paragraphs) {
    let words: Array<Record<string, unknown>> = [];
    const flush = () => {
      if (words.length > 0) paragraphs.push(words);
      words = [];
    };
    for (const element of paragraph) {
      switch (element.tag) {
        case 'img':
          flush();
          paragraphs.push([
            { tag: 'img', image_key: element.imageKey, width: element.width ?? 1280, height: element.height ?? 960 },
          ]);
          break;
        case 'media':
          flush();
          paragraphs.push([{ tag: 'media', file_key: element.fileKey, image_key: element.imageKey }]);
          break;
        case 'at':
          if ('all' in element) {
            // @所有人 is written `@_all` and has no entry in `mentions` (as in text messages;
            // https://github.com/larksuite/openclaw-lark/issues/381).
            words.push({ tag: 'at', user_id: '@_all', user_name: '所有人', style: [] });
          } else {
            const key = `@_user_${taken + mentions.length + 1}`;
            mentions.push({ key, openId: element.openId, name: element.name });
            words.push({ tag: 'at', user_id: key, user_name: element.name, style: [] });
          }
          break;
        case 'text':
          words.push({ tag: 'text', text: element.text, style: [] });
          break;
        case 'a':
          words.push({ tag: 'a', href: element.href, text: element.text, style: [] });
          break;
        case 'emotion':
          words.push({ tag: 'emotion', emoji_type: element.emojiType });
          break;
        case 'code_block':
          words.push({
            tag: 'code_block',
            ...(element.language !== undefined && { language: element.language }),
            text: element.text,
          });
          break;
        case 'hr':
          words.push({ tag: 'hr' });
          break;
      }
    }
    flush();
  }
  return { content: JSON.stringify({ title: post.title ?? '', content: paragraphs }), mentions };
}

export function messageReceived(input: MessageReceivedInput) {
  const tenantKey = input.tenantKey ?? DEFAULT_TENANT_KEY;
  const createTime = input.createTime ?? String((input.clock ?? systemClock).now().getTime());
  let content: string;
  const said: FeishuMention[] = [...(input.mentions ?? [])];
  if (input.post !== undefined) {
    const post = postContent(input.post, said.length);
    content = post.content;
    said.push(...post.mentions);
  } else if (input.content === undefined) content = JSON.stringify({ text: input.text ?? '' });
  else content = typeof input.content === 'string' ? input.content : JSON.stringify(input.content);
  const mentions = said.map((m) => ({ key: m.key, id: userIdsFor(m.openId), name: m.name, tenant_key: tenantKey }));
  return envelope(
    'im.message.receive_v1',
    {
      sender: { sender_id: userIdsFor(input.senderOpenId), sender_type: 'user', tenant_key: tenantKey },
      message: {
        message_id: input.messageId ?? `om_${randomHex(16)}`,
        // Feishu only includes root/parent/thread ids on replies; leave them out otherwise.
        ...(input.rootId !== undefined && { root_id: input.rootId }),
        ...(input.parentId !== undefined && { parent_id: input.parentId }),
        ...(input.threadId !== undefined && { thread_id: input.threadId }),
        create_time: createTime,
        update_time: createTime,
        chat_id: input.chatId,
        chat_type: input.chatType,
        message_type: input.post !== undefined ? 'post' : (input.messageType ?? 'text'),
        content,
        ...(mentions.length > 0 && { mentions }),
      },
    },
    { ...input, createTime, tenantKey },
  );
}

// ---- card.action.trigger ----

export interface CardActionInput extends Omit<EnvelopeOptions, 'token'> {
  operatorOpenId: string;
  /** The clicked component's callback value. */
  value?: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  inputValue?: string;
  option?: string;
  /** A multi-select's chosen options. */
  options?: string[];
  /** The component's `name`. */
  name?: string;
  messageId: string;
  chatId: string;
  /** The callback token for a delayed update; by default one the fake maps back to messageId. */
  token?: string;
  /** Guessed from the other fields when omitted: input, select_static or button. */
  actionTag?: string;
  /** Goes in `header.token`. */
  verificationToken?: string;
}

export function cardAction(input: CardActionInput) {
  const tenantKey = input.tenantKey ?? DEFAULT_TENANT_KEY;
  let tag = input.actionTag;
  if (tag === undefined) {
    if (input.formValue === undefined && input.inputValue !== undefined) tag = 'input';
    else if (input.formValue === undefined && input.option !== undefined) tag = 'select_static';
    else if (input.formValue === undefined && input.options !== undefined) tag = 'multi_select_static';
    else tag = 'button';
  }
  return envelope(
    'card.action.trigger',
    {
      operator: { tenant_key: tenantKey, ...userIdsFor(input.operatorOpenId) },
      token: input.token ?? callbackTokenFor(input.messageId),
      action: {
        value: input.value ?? {},
        tag,
        timezone: 'Asia/Shanghai',
        ...(input.name !== undefined && { name: input.name }),
        ...(input.formValue !== undefined && { form_value: input.formValue }),
        ...(input.inputValue !== undefined && { input_value: input.inputValue }),
        ...(input.option !== undefined && { option: input.option }),
        ...(input.options !== undefined && { options: input.options }),
      },
      host: 'im_message',
      context: { open_message_id: input.messageId, open_chat_id: input.chatId },
    },
    { ...input, token: input.verificationToken, tenantKey },
  );
}

// ---- application.bot.menu_v6 ----

export interface BotMenuInput extends EnvelopeOptions {
  operatorOpenId: string;
  eventKey: string;
  operatorName?: string;
  /** Seconds since epoch; now when omitted. */
  timestamp?: number;
}

export function botMenu(input: BotMenuInput) {
  const clock = input.clock ?? systemClock;
  return envelope(
    'application.bot.menu_v6',
    {
      operator: {
        ...(input.operatorName !== undefined && { operator_name: input.operatorName }),
        operator_id: userIdsFor(input.operatorOpenId),
      },
      event_key: input.eventKey,
      timestamp: input.timestamp ?? Math.floor(clock.now().getTime() / 1000),
    },
    input,
  );
}

// ---- URL verification and v1 events ----

export function urlVerification(input: { challenge?: string; token: string }) {
  return { challenge: input.challenge ?? randomHex(16), token: input.token, type: 'url_verification' as const };
}

export interface V1EventInput {
  uuid?: string;
  token: string;
  /** The event's type; v1 carries it inside `event`. */
  type?: string;
  event: Record<string, unknown>;
  clock?: Clock;
}

export function v1Event(input: V1EventInput) {
  const seconds = (input.clock ?? systemClock).now().getTime() / 1000;
  return {
    uuid: input.uuid ?? randomHex(16),
    token: input.token,
    ts: seconds.toFixed(3),
    type: 'event_callback' as const,
    event: input.type === undefined ? input.event : { ...input.event, type: input.type },
  };
}

// ---- sealing and posting ----

export interface SealOptions {
  encryptKey?: string;
  /** Seconds since epoch, as sent in X-Lark-Request-Timestamp; now when omitted. */
  timestamp?: string;
  nonce?: string;
  clock?: Clock;
}

export interface SealedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Encrypts and signs a payload as Feishu does when an Encrypt Key is set; plain JSON otherwise. */
export function sealRequest(payload: unknown, options: SealOptions = {}): SealedRequest {
  const timestamp = options.timestamp ?? String(Math.floor((options.clock ?? systemClock).now().getTime() / 1000));
  const nonce = options.nonce ?? randomHex(8);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-lark-request-timestamp': timestamp,
    'x-lark-request-nonce': nonce,
  };
  if (options.encryptKey === undefined) return { body: JSON.stringify(payload), headers };
  const body = JSON.stringify({ encrypt: encryptPayload(JSON.stringify(payload), options.encryptKey) });
  headers['x-lark-signature'] = computeSignature(timestamp, nonce, options.encryptKey, body);
  return { body, headers };
}

export interface PostedResponse {
  status: number;
  /** The parsed body; undefined when it is not JSON (see `text`). */
  json: unknown;
  text: string;
}

/** Seals a payload and POSTs it to the bot's callback URL. */
export async function postSigned(url: string, payload: unknown, options: SealOptions = {}): Promise<PostedResponse> {
  const sealed = sealRequest(payload, options);
  const response = await fetch(url, { method: 'POST', headers: sealed.headers, body: sealed.body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}
