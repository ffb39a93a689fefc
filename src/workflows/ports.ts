/**
 * What workflows need from the outside world, as interfaces. The Feishu adapter implements
 * them; workflows never see the SDK.
 */

/** A card in Feishu's Card JSON 2.0, produced by a presenter under feishu/cards. */
export type CardJson = Record<string, unknown>;

export type Recipient = { openId: string } | { chatId: string };

/** A file the bot sends (an exported .docx or .xlsx): uploaded, then sent as a file message. */
export interface OutgoingFile {
  kind: 'file';
  fileName: string;
  fileType: 'doc' | 'xls' | 'pdf' | 'stream';
  data: Buffer;
}

export type MessageBody = { kind: 'text'; text: string } | { kind: 'card'; card: CardJson };

/**
 * Sends messages on the bot's behalf. Every call carries a `key` naming the logical message
 * (built only by domain/delivery/message-keys.ts, e.g. `reply:<event id>:main`,
 * `patrol-reminder:<duty>:<period>:<stage>`): the same key is delivered once, however often
 * it is asked for. Calls return once the message is safely queued.
 */
export interface Messenger {
  send(key: string, to: Recipient, body: MessageBody | OutgoingFile): Promise<void>;
  reply(
    key: string,
    messageId: string,
    body: MessageBody,
    options?: { inThread?: boolean; chatId?: string },
  ): Promise<void>;
  /** Replaces a card the bot sent earlier (all copies of that message). */
  updateCard(key: string, messageId: string, card: CardJson): Promise<void>;
  /**
   * Replaces the card of the copy delivered under `copyKey`. Feishu lets a card be updated
   * for 14 days only: an older copy gets a fresh card at the same place instead, and the fresh
   * message becomes that copy (its key, its thread). Nothing happens to a copy not delivered.
   */
  updateCopy(key: string, copyKey: string, card: CardJson): Promise<void>;
  /** Updates the card a person just tapped, with the callback's token (30 min, twice). */
  updateCardByToken(key: string, token: string, card: CardJson): Promise<void>;
  /** Buzzes people about a message the bot sent (urgent_app). */
  urgent(key: string, messageId: string, openIds: string[]): Promise<void>;
  /** Buzzes people on the copy under `copyKey`; an old copy is buzzed once its fresh card is out. */
  urgentCopy(key: string, copyKey: string, openIds: string[]): Promise<void>;
  /** Feishu's id of the message sent under this key once delivered (the fresh one that replaced it, if any). */
  deliveredMessageId(key: string): Promise<string | undefined>;
  /** The key a delivered message was sent under (a fresh copy answers for its copy): what a reply in its thread is about. */
  keyOfMessage(messageId: string): Promise<string | undefined>;
}

/** Finds people's Feishu open_ids from the mobiles and emails office staff know them by. */
export interface ContactDirectory {
  /** Unknown mobiles and emails are simply absent from the result. */
  openIdsFor(query: {
    mobiles: string[];
    emails: string[];
  }): Promise<{ byMobile: Map<string, string>; byEmail: Map<string, string> }>;
}

/** Files people send in chats (a roster workbook, photos), fetched by the message they came in. */
export interface MessageFiles {
  download(messageId: string, fileKey: string, kind: 'file' | 'image'): Promise<Buffer>;
}
