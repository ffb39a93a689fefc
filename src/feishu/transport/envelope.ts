import { z } from 'zod';

/**
 * The outer shapes Feishu posts to the bot, before and after decryption.
 * Inner event bodies are validated by the dispatcher, per event type.
 */

/**
 * The delivery's id becomes a document key. Feishu's are hex digits (the `header.event_id` of
 * 接收消息, https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/events/receive);
 * the characters allowed here are a lenient superset. Anything else is no id Feishu issued and is refused with 400, not
 * left to fail in the database (a 500 Feishu would retry for hours).
 */
const DeliveryIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);
/** `im.message.receive_v1`, `card.action.trigger`, v1 `message`: dotted lower-case names. */
const EventTypeSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/);

/** `{"encrypt": "..."}` — what arrives when an Encrypt Key is configured. */
export const EncryptedBodySchema = z.object({ encrypt: z.string().min(1) });

/** The URL check Feishu sends when the callback URL is saved in the console. */
export const UrlVerificationSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string().min(1),
  token: z.string().optional(),
});

/** v2 events and new-style card callbacks (`card.action.trigger`). */
export const V2EnvelopeSchema = z.object({
  schema: z.literal('2.0'),
  header: z.object({
    event_id: DeliveryIdSchema,
    event_type: EventTypeSchema,
    /** Milliseconds since epoch, as a string. */
    create_time: z.string().optional(),
    token: z.string().optional(),
    app_id: z.string().optional(),
    tenant_key: z.string().optional(),
  }),
  event: z.record(z.string(), z.unknown()),
});

/** v1 events: `uuid` identifies the delivery, the type sits inside `event`. */
export const V1EnvelopeSchema = z.object({
  uuid: DeliveryIdSchema,
  token: z.string().optional(),
  ts: z.string().optional(),
  type: z.literal('event_callback'),
  event: z.object({ type: EventTypeSchema }).catchall(z.unknown()),
});

/** One delivery from Feishu, normalised across envelope versions. */
export interface InboundEvent {
  /** event_id (v2) or uuid (v1): the de-duplication key. */
  id: string;
  type: string;
  version: 'v1' | 'v2';
  createdAt: Date | undefined;
  appId: string | undefined;
  /** The event body as sent; validated per type by the dispatcher. */
  body: Record<string, unknown>;
}
