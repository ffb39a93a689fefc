import { z } from 'zod';
import type { Logger } from '../log/logger.js';
import { ChatIdSchema, isResourceKey, MessageIdSchema, OpenIdSchema, PlainIdSchema, UnionIdSchema } from './ids.js';
import { readMessageContent } from './inbound-content.js';

/**
 * The event bodies the bot acts on, validated with zod, and the plain shapes handed to
 * the chat layer. Nothing past this file sees Feishu's raw JSON. Every id is checked against
 * Feishu's id shapes (ids.ts): an event carrying a malformed one is refused as a whole, so no
 * id from an event can steer a later API call to another path.
 */

/** Feishu leaves an id empty when the app may not see it (user_id without its scope). */
const orEmpty = <T extends z.ZodType>(schema: T) => schema.or(z.literal('')).optional();

const UserIdSchema = z.object({
  open_id: orEmpty(OpenIdSchema),
  union_id: orEmpty(UnionIdSchema),
  user_id: orEmpty(PlainIdSchema),
});

/** `im.message.receive_v1` */
export const MessageReceiveSchema = z.object({
  sender: z.object({
    sender_id: UserIdSchema,
    sender_type: z.string(),
  }),
  message: z.object({
    message_id: MessageIdSchema,
    /** Empty when the message is not a reply. */
    root_id: orEmpty(MessageIdSchema),
    parent_id: orEmpty(MessageIdSchema),
    chat_id: ChatIdSchema,
    chat_type: z.string(),
    message_type: z.string(),
    /** A JSON string whose shape depends on message_type. */
    content: z.string(),
    mentions: z.array(z.object({ key: z.string(), id: UserIdSchema, name: z.string().optional() })).optional(),
  }),
});

/** `card.action.trigger` — a button tap or form submit on a card the bot sent. */
export const CardActionTriggerSchema = z.object({
  operator: z.object({ open_id: OpenIdSchema, union_id: orEmpty(UnionIdSchema), user_id: orEmpty(PlainIdSchema) }),
  /** Lets the bot update the card once more within 30 minutes. */
  token: z.string().optional(),
  action: z.object({
    value: z.unknown().optional(),
    tag: z.string().optional(),
    name: z.string().optional(),
    option: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    input_value: z.string().optional(),
    timezone: z.string().optional(),
  }),
  context: z.object({ open_message_id: MessageIdSchema.optional(), open_chat_id: ChatIdSchema.optional() }).optional(),
});

/** `application.bot.menu_v6` — a tap on the bot's menu. */
export const BotMenuSchema = z.object({
  operator: z.object({ operator_id: UserIdSchema }),
  event_key: z.string(),
});

export interface IncomingMessage {
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group' | 'other';
  senderOpenId: string;
  messageType: string;
  /** Words of a text or rich-text (post) message, mention placeholders removed; empty for other kinds. */
  text: string;
  /** `image_key`s of the pictures it carries: an image message's one, a post's inline ones. */
  images: string[];
  /** Parsed content for non-text messages (image keys, files, posts). */
  content: unknown;
  mentionedOpenIds: string[];
  rootId: string | undefined;
  parentId: string | undefined;
}

export interface CardActionInput {
  operatorOpenId: string;
  value: unknown;
  formValue: Record<string, unknown> | undefined;
  inputValue: string | undefined;
  option: string | undefined;
  messageId: string | undefined;
  chatId: string | undefined;
  /** Delayed-update token, valid 30 minutes. */
  callbackToken: string | undefined;
}

/** What a card callback answers right away: a toast and/or the new card. */
export interface CardActionResponse {
  toast?: { type: 'info' | 'success' | 'error' | 'warning'; content: string };
  card?: Record<string, unknown>;
}

/**
 * The answer to `card.action.trigger` as Feishu reads it: the new card is wrapped as
 * `{ type: "raw", data }`; a bare card under `card` is not understood and the tap shows
 * nothing. See 处理卡片回调 (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication)
 * and the Go SDK's `CardActionTriggerResponse { Toast, Card{Type, Data} }`.
 */
export interface CallbackAnswer {
  toast?: CardActionResponse['toast'];
  card?: { type: 'raw'; data: Record<string, unknown> };
}

/** The one place the chat layer's answer becomes Feishu's wire shape. */
export function toCallbackAnswer(response: CardActionResponse): CallbackAnswer {
  return {
    ...(response.toast && { toast: response.toast }),
    ...(response.card && { card: { type: 'raw' as const, data: response.card } }),
  };
}

export interface MenuTap {
  operatorOpenId: string;
  eventKey: string;
}

/** Per-event context: a child logger carrying the event id, chat and operator. */
export interface EventContext {
  eventId: string;
  log: Logger;
}

/** Implemented by the chat layer; the dispatcher calls it with validated input. */
export interface InboundHandlers {
  onMessage(message: IncomingMessage, ctx: EventContext): Promise<void>;
  onCardAction(action: CardActionInput, ctx: EventContext): Promise<CardActionResponse>;
  onMenu(tap: MenuTap, ctx: EventContext): Promise<void>;
}

function parseContent(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return undefined;
  }
}

export function toIncomingMessage(body: z.infer<typeof MessageReceiveSchema>): IncomingMessage {
  const m = body.message;
  const parsed = parseContent(m.content);
  const { text, images } = readMessageContent(m.message_type, parsed);
  return {
    messageId: m.message_id,
    chatId: m.chat_id,
    chatType: m.chat_type === 'p2p' || m.chat_type === 'group' ? m.chat_type : 'other',
    senderOpenId: body.sender.sender_id.open_id ?? '',
    messageType: m.message_type,
    text,
    // Keys go back to Feishu in a download path; one of another shape is not a picture of theirs.
    images: images.filter(isResourceKey),
    content: parsed,
    mentionedOpenIds: (m.mentions ?? []).map((x) => x.id.open_id).filter((x): x is string => !!x),
    rootId: m.root_id || undefined,
    parentId: m.parent_id || undefined,
  };
}

export function toCardAction(body: z.infer<typeof CardActionTriggerSchema>): CardActionInput {
  return {
    operatorOpenId: body.operator.open_id,
    value: body.action.value,
    formValue: body.action.form_value,
    inputValue: body.action.input_value,
    option: body.action.option,
    messageId: body.context?.open_message_id,
    chatId: body.context?.open_chat_id,
    callbackToken: body.token,
  };
}
