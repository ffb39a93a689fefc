import type * as lark from '@larksuiteoapi/node-sdk';
import { UserInputError } from '../errors.js';
import type { MessageFiles } from '../workflows/ports.js';
import { pathParam } from './ids.js';
import { toFeishuError } from './messenger/feishu-api.js';

/** A roster or photo is small; anything bigger is refused rather than held in memory. */
const MAX_BYTES = 20 * 1024 * 1024;

/** MessageFiles over `im.v1.messageResource.get` (the bot must be in the chat). */
export class FeishuMessageFiles implements MessageFiles {
  constructor(private readonly client: lark.Client) {}

  async download(messageId: string, fileKey: string, kind: 'file' | 'image'): Promise<Buffer> {
    let stream: NodeJS.ReadableStream;
    try {
      // The SDK fills path parameters unencoded; ids from a message go through pathParam.
      const path = { message_id: pathParam(messageId, 'message_id'), file_key: pathParam(fileKey, 'file_key') };
      const response = await this.client.im.v1.messageResource.get({ path, params: { type: kind } });
      stream = response.getReadableStream();
    } catch (error) {
      throw toFeishuError(error);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buf.length;
      if (size > MAX_BYTES) throw new UserInputError('文件过大（超过 20 MB），请精简后再发送。');
      chunks.push(buf);
    }
    return Buffer.concat(chunks);
  }
}
