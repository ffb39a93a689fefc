import { messageKey } from '../domain/delivery/message-keys.js';
import type { CardActionInput, EventContext, InboundHandlers, IncomingMessage, MenuTap } from '../feishu/inbound.js';
import type { Messenger } from '../workflows/ports.js';
import type { CardActionRouter } from './card-actions.js';
import type { CommandRegistry } from './commands/registry.js';
import { runCommand } from './commands/run-command.js';
import { menuInteraction } from './interaction.js';
import type { MessageHandler } from './message-handler.js';
import { REPLIES } from './replies.js';

/**
 * The chat layer as the Feishu dispatcher sees it. Bot menu items are configured in the
 * Feishu console with an event key equal to a command word (e.g. `help`, `status`), so a
 * tap runs the same command as typing it, answered by direct message.
 */
export class ChatHandlers implements InboundHandlers {
  constructor(
    private readonly messages: MessageHandler,
    private readonly cardActions: CardActionRouter,
    private readonly commands: CommandRegistry,
    private readonly messenger: Messenger,
  ) {}

  onMessage(message: IncomingMessage, ctx: EventContext): Promise<void> {
    return this.messages.handle(message, ctx);
  }

  onCardAction(action: CardActionInput, ctx: EventContext) {
    return this.cardActions.handle(action, ctx);
  }

  async onMenu(tap: MenuTap, ctx: EventContext): Promise<void> {
    const command = this.commands.find(tap.eventKey);
    if (!command) {
      await this.messenger.send(
        messageKey('menuReply', { eventId: ctx.eventId }),
        { openId: tap.operatorOpenId },
        { kind: 'text', text: REPLIES.unknownMenu },
      );
      return;
    }
    // A menu tap is a command typed in the person's direct chat with the bot.
    const interaction = menuInteraction(this.messenger, tap.operatorOpenId, ctx);
    await runCommand(command, {
      message: {
        messageId: '',
        chatId: '',
        chatType: 'p2p',
        senderOpenId: tap.operatorOpenId,
        messageType: 'menu',
        text: `/${command.name}`,
        images: [],
        content: undefined,
        mentionedOpenIds: [],
        rootId: undefined,
        parentId: undefined,
      },
      args: '',
      ...interaction,
      log: ctx.log.child({ command: command.name, via: 'menu' }),
      replyForm: (_title, card) => interaction.send({ kind: 'card', card }, 'form'),
    });
  }
}
