import type { IncomingMessage } from '../feishu/inbound.js';

/**
 * The photos a message carries, as problems and patrols keep them: `<message id>/<image key>`.
 * A picture someone sent can only be fetched with the id of the message it came in, and the
 * two must match (获取消息中的资源文件, GET /open-apis/im/v1/messages/:message_id/resources/:file_key,
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get).
 */
export function photosOf(message: IncomingMessage): string[] {
  return message.images.map((key) => `${message.messageId}/${key}`);
}
