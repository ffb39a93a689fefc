import type { Clock } from '../../domain/clock.js';
import { TransportError } from '../../errors.js';
import { computeSignature, constantTimeEqual, decryptPayload } from './crypto.js';
import {
  EncryptedBodySchema,
  type InboundEvent,
  UrlVerificationSchema,
  V1EnvelopeSchema,
  V2EnvelopeSchema,
} from './envelope.js';

/**
 * Turns the bytes Feishu posted into either a URL challenge or a verified event.
 * This is the only place that decides whether a request really came from Feishu,
 * so both transports' HTTP routes share it. Every failure is a TransportError.
 */

export interface TransportSecrets {
  verificationToken: string | undefined;
  encryptKey: string | undefined;
  /** Largest accepted distance between the signed timestamp and now. */
  maxClockSkewSeconds: number;
}

export interface InboundRequest {
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
}

export type OpenedRequest = { kind: 'challenge'; challenge: string } | { kind: 'event'; event: InboundEvent };

const bad = (reason: string) => new TransportError('bad_request', 400, reason);
const unauthorized = (reason: string) => new TransportError('unauthorized', 401, reason);

function header(req: InboundRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad(`${what} is not valid JSON`);
  }
}

/** Checks X-Lark-Signature over the raw bytes and the freshness of its timestamp. */
function verifySignature(req: InboundRequest, secrets: TransportSecrets & { encryptKey: string }, clock: Clock): void {
  const signature = header(req, 'x-lark-signature');
  const timestamp = header(req, 'x-lark-request-timestamp');
  const nonce = header(req, 'x-lark-request-nonce');
  if (!signature || !timestamp || nonce === undefined) throw unauthorized('missing signature headers');
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds)) throw unauthorized('timestamp is not a number');
  const skew = Math.abs(clock.now().getTime() / 1000 - seconds);
  if (skew > secrets.maxClockSkewSeconds) throw unauthorized(`timestamp is ${Math.round(skew)} s away from now`);
  const expected = computeSignature(timestamp, nonce, secrets.encryptKey, req.rawBody);
  if (!constantTimeEqual(expected, signature.toLowerCase())) throw unauthorized('signature mismatch');
}

function checkToken(received: string | undefined, expected: string | undefined): void {
  if (expected === undefined) return;
  if (received === undefined || !constantTimeEqual(received, expected)) {
    throw unauthorized('verification token mismatch');
  }
}

/** Verifies, decrypts and classifies one request. Throws TransportError on any failure. */
export function openRequest(req: InboundRequest, secrets: TransportSecrets, clock: Clock): OpenedRequest {
  let payload = parseJson(req.rawBody.toString('utf8'), 'body');
  const encrypted = EncryptedBodySchema.safeParse(payload);
  const signed = header(req, 'x-lark-signature') !== undefined;

  if (secrets.encryptKey !== undefined) {
    // URL verification is checked by its token alone when Feishu does not sign it;
    // everything else must carry a valid signature over the exact bytes received.
    if (signed || !encrypted.success) verifySignature(req, { ...secrets, encryptKey: secrets.encryptKey }, clock);
    if (encrypted.success) {
      let plaintext: string;
      try {
        plaintext = decryptPayload(encrypted.data.encrypt, secrets.encryptKey);
      } catch {
        throw unauthorized('cannot decrypt with the configured encrypt key');
      }
      payload = parseJson(plaintext, 'decrypted body');
      if (!signed && UrlVerificationSchema.safeParse(payload).success === false) {
        throw unauthorized('missing signature headers');
      }
    }
  } else if (encrypted.success) {
    throw bad('body is encrypted but FEISHU_ENCRYPT_KEY is not configured');
  }

  return classifyPayload(payload, secrets.verificationToken);
}

/**
 * Classifies a decrypted payload as a URL challenge or an event, checking its verification
 * token when one is given. The long connection passes none: its frames are authenticated
 * by the connection itself.
 */
export function classifyPayload(payload: unknown, verificationToken: string | undefined): OpenedRequest {
  const challenge = UrlVerificationSchema.safeParse(payload);
  if (challenge.success) {
    checkToken(challenge.data.token, verificationToken);
    return { kind: 'challenge', challenge: challenge.data.challenge };
  }

  const v2 = V2EnvelopeSchema.safeParse(payload);
  if (v2.success) {
    const h = v2.data.header;
    checkToken(h.token, verificationToken);
    const created = h.create_time !== undefined ? new Date(Number(h.create_time)) : undefined;
    return {
      kind: 'event',
      event: {
        id: h.event_id,
        type: h.event_type,
        version: 'v2',
        createdAt: created && !Number.isNaN(created.getTime()) ? created : undefined,
        appId: h.app_id,
        body: v2.data.event,
      },
    };
  }

  const v1 = V1EnvelopeSchema.safeParse(payload);
  if (v1.success) {
    checkToken(v1.data.token, verificationToken);
    const ts = v1.data.ts !== undefined ? new Date(Number(v1.data.ts) * 1000) : undefined;
    return {
      kind: 'event',
      event: {
        id: v1.data.uuid,
        type: v1.data.event.type,
        version: 'v1',
        createdAt: ts && !Number.isNaN(ts.getTime()) ? ts : undefined,
        appId: undefined,
        body: v1.data.event,
      },
    };
  }
  throw bad('not a Feishu event envelope');
}
