import type { OutboxOperation } from '../../store/models/outbox-message.js';
import type { OutboxStore } from '../../store/outbox-store.js';
import type { CardJson, MessageBody, Messenger, OutgoingFile, Recipient } from '../../workflows/ports.js';

/** Where the messenger hands each message: the outbox worker, which persists and sends it. */
export interface OutboxSubmitter {
  submit(key: string, operation: OutboxOperation, rateKey: string): Promise<unknown>;
}

/**
 * Text messages read `<at user_id="…">` as a mention (发送消息 › 文本消息:
 * https://open.feishu.cn/document/server-docs/im-v1/message-content-description/create_json).
 * The bot mentions people only on cards, so any `<at` in a text message came from what
 * someone typed (a reason, a progress note) and must not ring everyone: a zero-width space
 * after `<` shows the same characters and is no longer a tag.
 */
export function inertText(text: string): string {
  return text.replace(/<(\s*at\b)/gi, '<\u200b$1');
}

function encode(body: MessageBody): { msgType: string; content: string } {
  return body.kind === 'text'
    ? { msgType: 'text', content: JSON.stringify({ text: inertText(body.text) }) }
    : { msgType: 'interactive', content: JSON.stringify(body.card) };
}

/** The Messenger over Feishu: every call becomes one persisted outbox entry. */
export class FeishuMessenger implements Messenger {
  constructor(
    private readonly store: OutboxStore,
    private readonly worker: OutboxSubmitter,
  ) {}

  async send(key: string, to: Recipient, body: MessageBody | OutgoingFile): Promise<void> {
    const target =
      'openId' in to
        ? { receiveIdType: 'open_id' as const, receiveId: to.openId }
        : { receiveIdType: 'chat_id' as const, receiveId: to.chatId };
    if (body.kind === 'file') {
      const file = { fileName: body.fileName, fileType: body.fileType, data: body.data.toString('base64') };
      await this.enqueue(key, { op: 'sendFile', ...target, ...file }, target.receiveId);
      return;
    }
    await this.enqueue(key, { op: 'send', ...target, ...encode(body) }, target.receiveId);
  }

  async reply(
    key: string,
    messageId: string,
    body: MessageBody,
    options: { inThread?: boolean; chatId?: string } = {},
  ): Promise<void> {
    await this.enqueue(
      key,
      { op: 'reply', messageId, ...encode(body), replyInThread: options.inThread ?? false },
      options.chatId ?? messageId,
    );
  }

  async updateCard(key: string, messageId: string, card: CardJson): Promise<void> {
    await this.enqueue(key, { op: 'patch', messageId, content: JSON.stringify(card) }, messageId);
  }

  /**
   * The copy's newest message is resolved again when the update is delivered: by then an
   * earlier update may have replaced an old copy by a fresh card (see OutboxWorker).
   */
  async updateCopy(key: string, copyKey: string, card: CardJson): Promise<void> {
    const messageId = await this.deliveredMessageId(copyKey);
    if (!messageId) return;
    await this.enqueue(key, { op: 'patch', messageId, content: JSON.stringify(card), copyKey }, messageId);
  }

  async updateCardByToken(key: string, token: string, card: CardJson): Promise<void> {
    await this.enqueue(key, { op: 'delayedUpdate', token, card }, `token:${token}`);
  }

  async urgent(key: string, messageId: string, openIds: string[]): Promise<void> {
    await this.enqueue(key, { op: 'urgent', messageId, openIds }, messageId);
  }

  async urgentCopy(key: string, copyKey: string, openIds: string[]): Promise<void> {
    const messageId = await this.deliveredMessageId(copyKey);
    if (!messageId || openIds.length === 0) return;
    await this.enqueue(key, { op: 'urgent', messageId, openIds, copyKey }, messageId);
  }

  /** A fresh card sent in place of an old copy answers for that copy's key. */
  async keyOfMessage(messageId: string): Promise<string | undefined> {
    const known = await this.store.keyOfMessage(messageId);
    return known ? (known.copyOf ?? known.key) : undefined;
  }

  async deliveredMessageId(key: string): Promise<string | undefined> {
    return (await this.store.currentCopy(key))?.messageId;
  }

  private async enqueue(key: string, operation: OutboxOperation, rateKey: string): Promise<void> {
    await this.worker.submit(key, operation, rateKey);
  }
}
