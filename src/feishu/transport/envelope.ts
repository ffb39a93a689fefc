import { z } from 'zod';

/**
 * The outer shapes Feishu posts to the bot, before and after decryption.
 * Inner event bodies are validated by the dispatcher, per event type.
 */

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
    event_id: z.string().min(1),
    event_type: z.string().min(1),
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
  uuid: z.string().min(1),
  token: z.string().optional(),
  ts: z.string().optional(),
  type: z.literal('event_callback'),
  event: z.object({ type: z.string().min(1) }).catchall(z.unknown()),
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
