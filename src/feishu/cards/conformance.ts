/**
 * Feishu card JSON 2.0 conformance: the documented rules a card (and a callback answer) must
 * meet before Feishu accepts it. Pure; the fake Feishu refuses what this reports, and tests use
 * it to hold every card the bot renders to the platform. The rule tables live in conformance/.
 */

export { validateCallbackAnswer } from './conformance/callback-answer.js';
export {
  CardErrorCode,
  CardSubCode,
  type CardViolation,
  cardByteSize,
  componentCount,
  MAX_CARD_BYTES,
  MAX_COMPONENTS,
  validateCard,
} from './conformance/card.js';
