import { messageKey } from '../domain/delivery/message-keys.js';
import type { CardActionInput, EventContext, IncomingMessage } from '../feishu/inbound.js';
import type { Logger } from '../log/logger.js';
import type { MessageBody, Messenger, OutgoingFile } from '../workflows/ports.js';

/**
 * What every handler gets, whether a command was typed, a button tapped or a message sent:
 * who, which event, a logger that carries both, and how to answer. Each answer is sent once per
 * `part` of one event, so a retried event answers nothing twice.
 */
export interface Interaction {
  /** open_id of the person who typed, tapped or sent. */
  operator: string;
  /** Feishu's id of the event, which names every answer to it. */
  eventId: string;
  log: Logger;
  /** Answers in the conversation the interaction came from (a reply to the message, or to the tapped card). */
  reply: (body: MessageBody, part?: string) => Promise<void>;
  /** Sends to the person's own direct chat with the bot: what is theirs alone, out of a group's sight. */
  send: (body: MessageBody, part?: string) => Promise<void>;
  /** Sends a file (an exported ledger) to the conversation the interaction came from. */
  sendFile: (file: OutgoingFile, part?: string) => Promise<void>;
}

/** A message sent to the bot: answered as a reply to it; files go to its conversation (a file cannot be a reply). */
export function messageInteraction(messenger: Messenger, message: IncomingMessage, ctx: EventContext): Interaction {
  const key = (part: string) => messageKey('reply', { eventId: ctx.eventId, part });
  return {
    operator: message.senderOpenId,
    eventId: ctx.eventId,
    log: ctx.log,
    reply: (body, part = 'main') => messenger.reply(key(part), message.messageId, body, { chatId: message.chatId }),
    send: (body, part = 'main') => messenger.send(key(part), { openId: message.senderOpenId }, body),
    sendFile: (file, part = 'file') => messenger.send(key(part), { chatId: message.chatId }, file),
  };
}

/** A bot menu tap: everything goes to the person's direct chat, where the menu is. */
export function menuInteraction(messenger: Messenger, operator: string, ctx: EventContext): Interaction {
  const to = { openId: operator };
  const key = (part: string) => messageKey('menuPart', { eventId: ctx.eventId, part });
  return {
    operator,
    eventId: ctx.eventId,
    log: ctx.log,
    reply: (body, part = 'main') => messenger.send(key(part), to, body),
    send: (body, part = 'main') => messenger.send(key(part), to, body),
    sendFile: (file, part = 'file') => messenger.send(key(part), to, file),
  };
}

/**
 * A card tap: a reply goes under the tapped card, in its chat. A file a card offers goes to
 * that chat once per card and `part`, so a second tap on the same card does not send it again.
 */
export function tapInteraction(messenger: Messenger, input: CardActionInput, ctx: EventContext): Interaction {
  const operator = input.operatorOpenId;
  const here = input.chatId ? { chatId: input.chatId } : { openId: operator };
  const key = (part: string) => messageKey('reply', { eventId: ctx.eventId, part });
  return {
    operator,
    eventId: ctx.eventId,
    log: ctx.log,
    reply: (body, part = 'main') =>
      input.messageId
        ? messenger.reply(key(part), input.messageId, body, input.chatId ? { chatId: input.chatId } : undefined)
        : messenger.send(key(part), here, body),
    send: (body, part = 'main') => messenger.send(key(part), { openId: operator }, body),
    sendFile: (file, part = 'file') =>
      messenger.send(messageKey('ledgerExport', { ref: input.messageId ?? operator, query: part }), here, file),
  };
}
