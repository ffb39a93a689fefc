import type { z } from 'zod';

/**
 * Feishu's response envelopes and error codes, as the open platform answers them.
 * Every route in the fake builds its answer from these so the SDK sees real shapes.
 */

export interface RouteReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Bytes sent as they are instead of `body` as JSON (resource downloads). */
  raw?: Buffer;
}

export const ErrorCode = {
  invalidParam: 10003,
  appSecretInvalid: 10014,
  missingAccessToken: 99991661,
  invalidAccessToken: 99991663,
  rateLimited: 99991400,
  fieldValidation: 99992402,
  invalidMessageRequest: 230001,
  /** Too many requests for one chat, person or message (e.g. more than 5 PATCHes a second to one card). */
  frequencyLimited: 230020,
  contentTooLong: 230025,
  /** PATCH of a message sent more than 14 days ago. */
  messageExpired: 230031,
  /** A card Feishu cannot build ("Failed to create card content"). */
  cardContentInvalid: 230099,
  invalidUploadParam: 234001,
  resourceNotFound: 234003,
} as const;

export function ok(data: unknown): RouteReply {
  return { status: 200, body: { code: 0, msg: 'success', data } };
}

export function fail(status: number, code: number, msg: string, error?: unknown): RouteReply {
  return { status, body: error === undefined ? { code, msg } : { code, msg, error } };
}

/** The body Feishu sends with a given HTTP failure, for faults injected without one. */
export function defaultFaultBody(status: number): unknown {
  if (status === 429) return { code: ErrorCode.rateLimited, msg: 'request trigger frequency limit' };
  if (status >= 500) return { code: 1, msg: 'internal error' };
  return { code: 1, msg: `fake fault (HTTP ${status})` };
}

/** Headers a 429 carries when the injected rule names none, so clients can read the reset. */
export const DEFAULT_RATE_LIMIT_HEADERS: Record<string, string> = {
  'x-ogw-ratelimit-limit': '50',
  'x-ogw-ratelimit-reset': '1',
};

export type Validated<T> = { ok: true; data: T } | { ok: false; reply: RouteReply };

/** Checks a request part against a schema; a failure becomes Feishu's field-violation error. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): Validated<z.infer<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const fieldViolations = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    description: issue.message,
  }));
  return {
    ok: false,
    reply: fail(400, ErrorCode.fieldValidation, 'field validation failed', { field_violations: fieldViolations }),
  };
}
