import type { SdkLogger } from '../feishu/transport/ws.js';
import type { Logger } from '../log/logger.js';

/**
 * Sends the SDK's own log lines through pino, so they are JSON like ours — without what the
 * SDK would otherwise put in them. Its error lines carry the whole failed request
 * (`config.data`: a card's content, a message's text, the app secret of a token request) and
 * the answer; people's words and secrets never reach the log, so every part is scrubbed:
 * request bodies and message content are dropped (their size kept), secrets redacted, long
 * strings cut. What is left — method, URL, status, Feishu's code, msg and log id — is what a
 * failure is diagnosed by.
 */
export function sdkLogger(logger: Logger): SdkLogger {
  const log = logger.child({ component: 'lark-sdk' });
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? scrubString(p) : JSON.stringify(scrub(p)))).join(' ');
  return {
    error: (...msg) => log.error(text(msg)),
    warn: (...msg) => log.warn(text(msg)),
    info: (...msg) => log.info(text(msg)),
    debug: (...msg) => log.debug(text(msg)),
    trace: (...msg) => log.trace(text(msg)),
  };
}

/** Keys whose values are secrets, wherever they appear. */
const SECRET_KEYS = new Set([
  'app_secret',
  'appsecret',
  'tenant_access_token',
  'app_access_token',
  'user_access_token',
  'refresh_token',
  'access_token',
  'token',
  'authorization',
  'encrypt',
  'encryptkey',
  'verificationtoken',
  'x-lark-signature',
]);

/** Keys whose values are what people wrote or were sent (or bytes): dropped, their size kept. */
const CONTENT_KEYS = new Set([
  'content',
  'card',
  'text',
  'title',
  'elements',
  'form_value',
  'input_value',
  'template_variable',
  'file',
  'image',
  'body',
  'headers',
]);

const MAX_STRING = 300;
const MAX_DEPTH = 6;
const MAX_ITEMS = 20;

function omitted(value: unknown): string {
  const size = typeof value === 'string' ? Buffer.byteLength(value) : (JSON.stringify(value ?? null)?.length ?? 0);
  return `[omitted, ${size} bytes]`;
}

/** A string as logged: a JSON document inside it is scrubbed too; anything long is cut. */
function scrubString(value: string): string {
  const trimmed = value.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return JSON.stringify(scrub(JSON.parse(trimmed) as unknown));
    } catch {
      // not JSON after all
    }
  }
  return value.length > MAX_STRING
    ? `${value.slice(0, MAX_STRING)}…[${value.length - MAX_STRING} more characters omitted]`
    : value;
}

/** A copy of one logged part with bodies, content and secrets taken out. Exported for tests. */
export function scrub(value: unknown, depth = 0, parent = ''): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep, omitted]';
  if (value instanceof Error)
    return { name: value.name, message: scrubString(value.message), code: (value as { code?: unknown }).code };
  if (ArrayBuffer.isView(value)) return `[omitted, ${value.byteLength} bytes]`;
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => scrub(item, depth + 1, parent));
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more omitted]`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = key.toLowerCase();
    if (SECRET_KEYS.has(name)) out[key] = '[redacted]';
    else if (CONTENT_KEYS.has(name)) out[key] = omitted(item);
    // A request's `data` is its body; only an answer's `data` (Feishu's code and msg) is kept.
    else if (name === 'data' && parent !== 'response') out[key] = omitted(item);
    else out[key] = scrub(item, depth + 1, name);
  }
  return out;
}
