import type { CardJson, MessageBody, Messenger, OutgoingFile, Recipient } from '../../src/workflows/ports.js';

/** One message as its recipients got it: the card it shows now (after updates), or its text or file. */
export interface RecordedMessage {
  key: string;
  messageId: string;
  /** Where it went: a person, a chat, or (a reply) the thread of this message. */
  to: Recipient | { replyTo: string };
  body: MessageBody | OutgoingFile;
  /** People buzzed about it (urgent_app). */
  buzzed: string[];
}

/**
 * A Messenger for the fast test tier: what a workflow sends is kept in memory, once per key as
 * the outbox does, every message delivered at once under an id of its own, so a thread reply
 * can be routed by its root. No HTTP, no outbox worker, no fake Feishu: what a workflow decided
 * to say, to whom, and what each card shows after its updates.
 */
export class RecordingMessenger implements Messenger {
  readonly messages: RecordedMessage[] = [];
  private readonly byKey = new Map<string, RecordedMessage>();
  private readonly byId = new Map<string, RecordedMessage>();
  /** Keys of updates and buzzes already done: each is once-only too. */
  private readonly done = new Set<string>();

  send(key: string, to: Recipient, body: MessageBody | OutgoingFile): Promise<void> {
    this.record(key, to, body);
    return Promise.resolve();
  }

  reply(key: string, messageId: string, body: MessageBody): Promise<void> {
    this.record(key, { replyTo: messageId }, body);
    return Promise.resolve();
  }

  updateCard(key: string, messageId: string, card: CardJson): Promise<void> {
    const message = this.byId.get(messageId);
    if (message && this.once(key)) message.body = { kind: 'card', card };
    return Promise.resolve();
  }

  async updateCopy(key: string, copyKey: string, card: CardJson): Promise<void> {
    const copy = this.byKey.get(copyKey);
    if (copy) await this.updateCard(key, copy.messageId, card);
  }

  async updateCardByToken(): Promise<void> {
    // A tapped card's token belongs to a callback; workflows tested here have none.
  }

  urgent(key: string, messageId: string, openIds: string[]): Promise<void> {
    const message = this.byId.get(messageId);
    if (message && this.once(key)) message.buzzed.push(...openIds);
    return Promise.resolve();
  }

  async urgentCopy(key: string, copyKey: string, openIds: string[]): Promise<void> {
    const copy = this.byKey.get(copyKey);
    if (copy) await this.urgent(key, copy.messageId, openIds);
  }

  deliveredMessageId(key: string): Promise<string | undefined> {
    return Promise.resolve(this.byKey.get(key)?.messageId);
  }

  keyOfMessage(messageId: string): Promise<string | undefined> {
    return Promise.resolve(this.byId.get(messageId)?.key);
  }

  /** The messages a person got directly, or a chat got, in the order sent. */
  to(recipient: Recipient): RecordedMessage[] {
    return this.messages.filter(
      (m) =>
        ('openId' in recipient && 'openId' in m.to && m.to.openId === recipient.openId) ||
        ('chatId' in recipient && 'chatId' in m.to && m.to.chatId === recipient.chatId),
    );
  }

  /** The words of what a person or chat got: texts as written, cards as the words they show. */
  wordsTo(recipient: Recipient): string[] {
    return this.to(recipient).map((m) => wordsOf(m.body));
  }

  private record(key: string, to: RecordedMessage['to'], body: MessageBody | OutgoingFile): void {
    if (this.byKey.has(key)) return;
    const message = { key, messageId: `om_recorded_${this.messages.length + 1}`, to, body, buzzed: [] };
    this.messages.push(message);
    this.byKey.set(key, message);
    this.byId.set(message.messageId, message);
  }

  private once(key: string): boolean {
    if (this.done.has(key)) return false;
    this.done.add(key);
    return true;
  }
}

/** What a message says to a reader: a text's words, a card's texts joined, a file's name. */
export function wordsOf(body: MessageBody | OutgoingFile): string {
  if (body.kind === 'text') return body.text;
  if (body.kind === 'file') return body.fileName;
  const words: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object')
      for (const [name, value] of Object.entries(node)) {
        if (name === 'content' && typeof value === 'string') words.push(value);
        else walk(value);
      }
  };
  walk(body.card);
  return words.join('\n');
}
