import type { Audience } from '../../domain/access/visibility.js';
import type { IncomingMessage } from '../../feishu/inbound.js';
import type { CardJson } from '../../workflows/ports.js';
import type { Interaction } from '../interaction.js';

/** What a command gets to do its work: the interaction (who asked, how to answer), the message and its words. */
export interface CommandContext extends Interaction {
  message: IncomingMessage;
  /** The arguments after the command word, already trimmed. */
  args: string;
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
