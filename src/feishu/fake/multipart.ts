/**
 * A small multipart/form-data reader for the fake's upload routes. The SDK (through
 * axios and the form-data package) sends a Buffer part without a filename, which the
 * WHATWG `Request.formData()` parser would turn into a lossy string, so parts are read
 * here as raw bytes.
 */

export interface MultipartPart {
  name: string;
  fileName?: string;
  contentType?: string;
  data: Buffer;
}

export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition);
  if (match?.[1] !== undefined) return match[1].replace(/\\(.)/g, '$1');
  const bare = new RegExp(`;\\s*${key}=([^;]+)`, 'i').exec(disposition);
  return bare?.[1]?.trim();
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Splits a multipart body into its parts; throws on a body that does not follow the boundary. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const opening = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  const parts: MultipartPart[] = [];
  let cursor = body.indexOf(opening);
  if (cursor < 0) throw new Error('multipart body has no opening boundary');
  cursor += opening.length;

  for (;;) {
    // After a boundary comes either "--" (the end) or CRLF and the next part's headers.
    if (body.subarray(cursor, cursor + 2).toString('latin1') === '--') return parts;
    if (body.subarray(cursor, cursor + 2).toString('latin1') !== '\r\n')
      throw new Error('malformed multipart boundary');
    const headerStart = cursor + 2;
    const headerEnd = body.indexOf('\r\n\r\n', headerStart, 'latin1');
    if (headerEnd < 0) throw new Error('multipart part has no header terminator');
    const next = body.indexOf(separator, headerEnd + 4);
    if (next < 0) throw new Error('multipart body has no closing boundary');

    const headers = parseHeaders(body.subarray(headerStart, headerEnd).toString('utf8'));
    const disposition = headers.get('content-disposition') ?? '';
    const name = dispositionParam(disposition, 'name');
    if (name === undefined) throw new Error('multipart part has no name');
    const part: MultipartPart = { name, data: Buffer.from(body.subarray(headerEnd + 4, next)) };
    const fileName = dispositionParam(disposition, 'filename');
    if (fileName !== undefined) part.fileName = fileName;
    const contentType = headers.get('content-type');
    if (contentType !== undefined) part.contentType = contentType;
    parts.push(part);
    cursor = next + separator.length;
  }
}
