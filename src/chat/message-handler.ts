import { messageKey } from '../domain/delivery/message-keys.js';
import type { EventContext, IncomingMessage } from '../feishu/inbound.js';
import type { CardJson, Messenger } from '../workflows/ports.js';
import type { CommandContext } from './commands/command.js';
import { parseCommandLine } from './commands/parse.js';
import type { CommandRegistry } from './commands/registry.js';
import { runCommand } from './commands/run-command.js';
import { type Interaction, messageInteraction } from './interaction.js';
import { REPLIES } from './replies.js';

export interface MessageHandlerDeps {
  commands: CommandRegistry;
  messenger: Messenger;
  /** The bot's own open_id, to tell whether a group message @-mentions it. */
  botOpenId: () => Promise<string | undefined>;
  /** Handlers for files people send (e.g. a roster workbook); each says whether it took the message. */
  fileHandlers?: InboundMessageHandler[];
}

/** Takes messages that are not commands (a roster file, a reply in a card's thread). */
export interface InboundMessageHandler {
  /** Handles the message if it is one it takes; says whether it did. */
  handle(message: IncomingMessage, ctx: Interaction): Promise<boolean>;
}

/**
 * Handles a message sent to the bot: in a direct chat always, in a group only when the bot
 * is @-mentioned (Feishu only delivers those unless the app may read all group messages).
 */
export class MessageHandler {
  constructor(private readonly deps: MessageHandlerDeps) {}

  async handle(message: IncomingMessage, ctx: EventContext): Promise<void> {
    const interaction = messageInteraction(this.deps.messenger, message, ctx);
    const reply = interaction.reply;
    // Files and thread replies (a roster, patrol photos) need no @-mention; each handler
    // decides whether the message is one it takes.
    for (const handler of this.deps.fileHandlers ?? []) {
      if (await handler.handle(message, interaction)) return;
    }
    if (!(await this.isAddressedToBot(message))) {
      ctx.log.debug('group message not addressed to the bot');
      return;
    }
    const parsed = parseCommandLine(message.text);
    if (!parsed) {
      // A rich-text message with words is typed text too; a picture alone asks nothing.
      const typed = message.messageType === 'text' || (message.messageType === 'post' && message.text !== '');
      if (message.chatType === 'p2p' && typed) await reply({ kind: 'text', text: REPLIES.notACommand });
      return;
    }
    const command = this.deps.commands.find(parsed.word);
    if (!command) {
      const suggestion = this.deps.commands.suggest(parsed.word);
      const text = suggestion ? REPLIES.didYouMean(parsed.word, suggestion.name) : REPLIES.unknownCommand(parsed.word);
      await reply({ kind: 'text', text });
      return;
    }
    const replyForm = async (title: string, card: CardJson) => {
      if (message.chatType === 'p2p') return reply({ kind: 'card', card }, 'form');
      await this.deps.messenger.send(
        messageKey('reply', { eventId: ctx.eventId, part: 'form' }),
        { openId: message.senderOpenId },
        { kind: 'card', card },
      );
      await reply({ kind: 'text', text: REPLIES.formSentPrivately(title) }, 'form-notice');
    };
    const commandCtx: CommandContext = {
      ...interaction,
      log: ctx.log.child({ command: command.name }),
      message,
      args: parsed.args,
      replyForm,
    };
    await runCommand(command, commandCtx);
  }

  private async isAddressedToBot(message: IncomingMessage): Promise<boolean> {
    if (message.chatType === 'p2p') return true;
    const bot = await this.deps.botOpenId();
    // Without the bot's id, any mention is taken as addressed to it: Feishu only delivers
    // group messages that mention the bot unless the app holds the read-all scope.
    return bot === undefined ? message.mentionedOpenIds.length > 0 : message.mentionedOpenIds.includes(bot);
  }
}
