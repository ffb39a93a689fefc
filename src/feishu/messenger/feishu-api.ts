import type * as lark from '@larksuiteoapi/node-sdk';
import { FeishuApiError, FeishuNetworkError } from '../../errors.js';
import type { OutboxOperation } from '../../store/models/outbox-message.js';
import { pathParam, UnsafeIdError } from '../ids.js';

/**
 * Performs one outbox operation through the official SDK and turns every way it can go
 * wrong into FeishuApiError (Feishu answered no) or FeishuNetworkError (no answer).
 * The SDK does not retry and resolves a 200 with code ≠ 0; both are handled here.
 */

interface FeishuReply {
  code?: number;
  msg?: string;
  data?: unknown;
}

interface AxiosLikeError {
  isAxiosError?: boolean;
  message: string;
  code?: string;
  response?: { status: number; headers?: Record<string, unknown>; data?: unknown };
}

function asAxiosError(error: unknown): AxiosLikeError | undefined {
  if (typeof error === 'object' && error !== null && (error as AxiosLikeError).isAxiosError === true) {
    return error as AxiosLikeError;
  }
  return undefined;
}

/** Maps a thrown SDK error to the catalogue. Exported for the other API callers. */
export function toFeishuError(error: unknown): FeishuApiError | FeishuNetworkError {
  const axios = asAxiosError(error);
  if (axios?.response) {
    const { status, headers, data } = axios.response;
    const body = (typeof data === 'object' && data !== null ? data : {}) as FeishuReply;
    const reset = Number(headers?.['x-ogw-ratelimit-reset']);
    return new FeishuApiError(status, body.code, body.msg ?? axios.message, Number.isFinite(reset) ? reset : undefined);
  }
  if (axios) return new FeishuNetworkError(axios.code ?? axios.message);
  // Refused before any request: final, as Feishu would refuse an id it never issued.
  if (error instanceof UnsafeIdError) return new FeishuApiError(400, undefined, error.message);
  if (error instanceof FeishuApiError || error instanceof FeishuNetworkError) return error;
  return new FeishuNetworkError(error instanceof Error ? error.message : String(error));
}

function checked(reply: FeishuReply): FeishuReply {
  if (reply.code !== undefined && reply.code !== 0) {
    throw new FeishuApiError(200, reply.code, reply.msg ?? 'error');
  }
  return reply;
}

function messageIdOf(reply: FeishuReply): string | undefined {
  const data = reply.data as { message_id?: unknown } | undefined;
  return typeof data?.message_id === 'string' ? data.message_id : undefined;
}

/** The chat a created or replied message landed in (发送消息 and 回复消息 answer with `chat_id`). */
function chatIdOf(reply: FeishuReply): string | undefined {
  const data = reply.data as { chat_id?: unknown } | undefined;
  return typeof data?.chat_id === 'string' && data.chat_id ? data.chat_id : undefined;
}

/** What a delivered operation left behind: Feishu's message id and, for creates and replies, its chat. */
export interface Performed {
  messageId?: string;
  chatId?: string;
}

type SendFileOperation = Extract<OutboxOperation, { op: 'sendFile' }>;

export class FeishuApi {
  constructor(private readonly client: lark.Client) {}

  /** Runs one operation; `uuid` makes Feishu itself drop a repeated create or reply. */
  async perform(operation: OutboxOperation, uuid: string): Promise<Performed> {
    try {
      switch (operation.op) {
        case 'send': {
          const reply = checked(
            await this.client.im.v1.message.create({
              params: { receive_id_type: operation.receiveIdType },
              data: { receive_id: operation.receiveId, msg_type: operation.msgType, content: operation.content, uuid },
            }),
          );
          return { messageId: messageIdOf(reply), chatId: chatIdOf(reply) };
        }
        case 'sendFile': {
          const fileKey = await this.uploadFile(operation);
          return await this.sendUploadedFile(operation, fileKey, uuid);
        }
        case 'reply': {
          const reply = checked(
            await this.client.im.v1.message.reply({
              path: { message_id: pathParam(operation.messageId, 'message_id') },
              data: {
                msg_type: operation.msgType,
                content: operation.content,
                reply_in_thread: operation.replyInThread,
                uuid,
              },
            }),
          );
          return { messageId: messageIdOf(reply), chatId: chatIdOf(reply) };
        }
        case 'patch':
          checked(
            await this.client.im.v1.message.patch({
              path: { message_id: pathParam(operation.messageId, 'message_id') },
              data: { content: operation.content },
            }),
          );
          return { messageId: operation.messageId };
        case 'delayedUpdate':
          // No SDK method exists for the delayed card update; the generic request carries the token.
          checked(
            await this.client.request<FeishuReply>({
              method: 'POST',
              url: '/open-apis/interactive/v1/card/update',
              data: { token: operation.token, card: operation.card },
            }),
          );
          return {};
        case 'urgent':
          checked(
            await this.client.im.v1.message.urgentApp({
              path: { message_id: pathParam(operation.messageId, 'message_id') },
              params: { user_id_type: 'open_id' },
              data: { user_id_list: operation.openIds },
            }),
          );
          return { messageId: operation.messageId };
      }
    } catch (error) {
      throw toFeishuError(error);
    }
  }

  /**
   * Uploads a file (上传文件, POST /open-apis/im/v1/files) and returns its `file_key`. The
   * generic request keeps Feishu's answer whole, so a refusal keeps its code: the SDK's
   * file.create returns only `data` and loses the code of a 200 with code ≠ 0.
   */
  async uploadFile(file: Pick<SendFileOperation, 'fileName' | 'fileType' | 'data'>): Promise<string> {
    try {
      const reply = checked(
        await this.client.request<FeishuReply>({
          method: 'POST',
          url: '/open-apis/im/v1/files',
          headers: { 'Content-Type': 'multipart/form-data' },
          data: { file_type: file.fileType, file_name: file.fileName, file: Buffer.from(file.data, 'base64') },
        }),
      );
      const fileKey = (reply.data as { file_key?: unknown } | undefined)?.file_key;
      if (typeof fileKey !== 'string' || !fileKey)
        throw new FeishuApiError(200, reply.code, 'file upload returned no file_key');
      return fileKey;
    } catch (error) {
      throw toFeishuError(error);
    }
  }

  /** Sends a file uploaded before as a file message. */
  async sendUploadedFile(
    operation: Pick<SendFileOperation, 'receiveIdType' | 'receiveId'>,
    fileKey: string,
    uuid: string,
  ): Promise<Performed> {
    try {
      const reply = checked(
        await this.client.im.v1.message.create({
          params: { receive_id_type: operation.receiveIdType },
          data: {
            receive_id: operation.receiveId,
            msg_type: 'file',
            content: JSON.stringify({ file_key: fileKey }),
            uuid,
          },
        }),
      );
      return { messageId: messageIdOf(reply), chatId: chatIdOf(reply) };
    } catch (error) {
      throw toFeishuError(error);
    }
  }

  /** The bot's own open_id, to recognise when it is @-mentioned in a group. */
  async botOpenId(): Promise<string> {
    try {
      const reply = checked(
        await this.client.request<FeishuReply & { bot?: { open_id?: string } }>({
          method: 'GET',
          url: '/open-apis/bot/v3/info',
        }),
      ) as FeishuReply & { bot?: { open_id?: string } };
      const openId = reply.bot?.open_id;
      if (!openId) throw new FeishuApiError(200, undefined, 'bot info has no open_id');
      return openId;
    } catch (error) {
      throw toFeishuError(error);
    }
  }
}
