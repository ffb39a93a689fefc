import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Feishu's payload encryption and request signing, as documented for event subscriptions:
 * body `{"encrypt": base64(iv[16] ‖ AES-256-CBC/PKCS#7(json))}` with key = SHA-256(encrypt key),
 * and `X-Lark-Signature = hex(SHA-256(timestamp + nonce + encryptKey + rawBody))`.
 */

function aesKey(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey, 'utf8').digest();
}

/** Decrypts the `encrypt` field of a Feishu request body to its plaintext JSON string. */
export function decryptPayload(encrypted: string, encryptKey: string): string {
  const buf = Buffer.from(encrypted, 'base64');
  if (buf.length < 32 || buf.length % 16 !== 0) {
    throw new Error('encrypted payload has an invalid length');
  }
  const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

/** Encrypts plaintext exactly as Feishu does; used by the fake platform and tests. */
export function encryptPayload(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** hex(SHA-256(timestamp + nonce + encryptKey + rawBody)), over the bytes received. */
export function computeSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Buffer | string,
): string {
  return createHash('sha256')
    .update(timestamp, 'utf8')
    .update(nonce, 'utf8')
    .update(encryptKey, 'utf8')
    .update(rawBody)
    .digest('hex');
}

/** Compares two secrets without leaking where they differ through timing. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  // Hashing first makes the lengths equal, so timingSafeEqual never throws and length is not leaked.
  return timingSafeEqual(left, right) && a.length === b.length;
}
