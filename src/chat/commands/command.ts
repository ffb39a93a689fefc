import type { Audience } from '../../domain/access/visibility.js';
import type { IncomingMessage } from '../../feishu/inbound.js';
import type { Logger } from '../../log/logger.js';
import type { CardJson, MessageBody, OutgoingFile } from '../../workflows/ports.js';

/** What a command gets to do its work: who asked, where, and how to answer. */
export interface CommandContext {
  message: IncomingMessage;
  /** The arguments after the command word, already trimmed. */
  args: string;
  log: Logger;
  /** Answers in the conversation the command came from; once per `part`. */
  reply(body: MessageBody, part?: string): Promise<void>;
  /** Sends a file (an exported ledger) to the conversation the command came from; once per `part`. */
  sendFile(file: OutgoingFile, part?: string): Promise<void>;
  /**
   * Opens a form for the person who typed the command, in their direct chat with the bot: a
   * form answered into a group would be shared by everyone in it (Card JSON 2.0 cards are).
   */
  replyForm(title: string, card: CardJson): Promise<void>;
}

/** A slash command: a Chinese name, English aliases, and its help line. */
export interface Command {
  name: string;
  /** Who /帮助 offers it to; absent means everyone. Each workflow still checks every action. */
  audience?: readonly Audience[];
  aliases: string[];
  usage: string;
  summary: string;
  example: string;
  run(ctx: CommandContext): Promise<void>;
}
