import type { Logger } from '../log/logger.js';
import {
  BotMenuSchema,
  type CallbackAnswer,
  CardActionTriggerSchema,
  type InboundHandlers,
  MessageReceiveSchema,
  toCallbackAnswer,
  toCardAction,
  toIncomingMessage,
} from './inbound.js';
import type { InboundEvent } from './transport/envelope.js';

export const CARD_ACTION_EVENT = 'card.action.trigger';

/** A short Chinese toast for a card callback whose payload makes no sense. */
const MALFORMED_CARD_TOAST: CallbackAnswer = {
  toast: { type: 'error', content: '卡片数据无效，请重新打开最新的卡片后再试。' },
};

/** Routes one verified, de-duplicated event to the chat layer, validating its body first. */
export class EventDispatcher {
  constructor(
    private readonly handlers: InboundHandlers,
    private readonly logger: Logger,
  ) {}

  /** A child logger per event carrying the event id, chat and operator. */
  private loggerFor(event: InboundEvent, chatId?: string, operator?: string): Logger {
    return this.logger.child({ eventId: event.id, eventType: event.type, chatId, operator });
  }

  async dispatch(event: InboundEvent): Promise<CallbackAnswer> {
    switch (event.type) {
      case 'im.message.receive_v1': {
        const parsed = MessageReceiveSchema.safeParse(event.body);
        if (!parsed.success) {
          this.loggerFor(event).warn({ issues: parsed.error.issues }, 'malformed message event ignored');
          return {};
        }
        const message = toIncomingMessage(parsed.data);
        const log = this.loggerFor(event, message.chatId, message.senderOpenId);
        if (parsed.data.sender.sender_type !== 'user') {
          log.debug('message from a non-user sender ignored');
          return {};
        }
        await this.handlers.onMessage(message, { eventId: event.id, log });
        return {};
      }
      case CARD_ACTION_EVENT: {
        const parsed = CardActionTriggerSchema.safeParse(event.body);
        if (!parsed.success) {
          this.loggerFor(event).warn({ issues: parsed.error.issues }, 'malformed card callback');
          return MALFORMED_CARD_TOAST;
        }
        const action = toCardAction(parsed.data);
        const log = this.loggerFor(event, action.chatId, action.operatorOpenId);
        return toCallbackAnswer(await this.handlers.onCardAction(action, { eventId: event.id, log }));
      }
      case 'application.bot.menu_v6': {
        const parsed = BotMenuSchema.safeParse(event.body);
        const operator = parsed.success ? parsed.data.operator.operator_id.open_id : undefined;
        if (!parsed.success || !operator) {
          this.loggerFor(event).warn('malformed bot menu event ignored');
          return {};
        }
        const log = this.loggerFor(event, undefined, operator);
        await this.handlers.onMenu(
          { operatorOpenId: operator, eventKey: parsed.data.event_key },
          { eventId: event.id, log },
        );
        return {};
      }
      default:
        this.loggerFor(event).info('event type not handled; acknowledged and ignored');
        return {};
    }
  }
}
