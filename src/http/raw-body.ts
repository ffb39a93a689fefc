import type { IncomingMessage } from 'node:http';
import { TransportError } from '../errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the request body as the exact bytes received (the signature covers them), refusing
 * anything over the limit without buffering it all first.
 */
export async function readRawBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new TransportError('payload_too_large', 413, `declared body of ${declared} bytes exceeds ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw new TransportError('payload_too_large', 413, `body exceeds ${limit} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
