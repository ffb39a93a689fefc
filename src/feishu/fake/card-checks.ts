import {
  CardErrorCode,
  CardSubCode,
  type CardViolation,
  validateCallbackAnswer,
  validateCard,
} from '../cards/conformance.js';
import { ErrorCode, fail, type RouteReply } from './feishu-replies.js';

/**
 * How the fake holds the bot's cards to Feishu's documented rules: a card that breaks one is
 * refused as Feishu refuses it, and a callback answer of the wrong shape fails the test that
 * tapped. The rules themselves live in src/feishu/cards/conformance.ts.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(violations: CardViolation[]): string {
  return violations.map((v) => `${v.rule} at ${v.path || '(card)'}: ${v.message}`).join('; ');
}

/**
 * The refusal for an interactive message's content, or undefined when Feishu would take it.
 * A template card (`{ type: "template", data }`) is built by Feishu from the Card Builder and is
 * not checked here beyond its shape. A card over 30 KB is answered with 230025; any other
 * violation with HTTP 400 and 230099 "Failed to create card content, ext=ErrCode: …" as Feishu
 * answers for send, reply and PATCH (https://github.com/larksuite/openclaw-lark/issues/53,
 * https://github.com/eastreams/loong/issues/697).
 */
export function refuseCard(content: unknown): RouteReply | undefined {
  if (isRecord(content) && content.type === 'template') {
    const data = content.data;
    if (isRecord(data) && typeof data.template_id === 'string' && data.template_id !== '') return undefined;
    return fail(
      400,
      CardErrorCode.invalidCard,
      `Failed to create card content, ext=ErrCode: ${CardSubCode.schema}; ErrMsg: template card needs data.template_id;`,
    );
  }
  const violations = validateCard(content);
  if (violations.length === 0) return undefined;
  const tooLarge = violations.find((v) => v.code === CardErrorCode.tooLarge);
  if (tooLarge)
    return fail(
      400,
      ErrorCode.contentTooLong,
      `The length of the message content reaches its limit. ${tooLarge.message}`,
    );
  const sub = violations.some((v) => v.rule === 'component-limit') ? CardSubCode.limit : CardSubCode.schema;
  const first = violations[0];
  return fail(
    400,
    CardErrorCode.invalidCard,
    `Failed to create card content, ext=ErrCode: ${sub}; ErrMsg: ${describe(violations)}; ErrorValue: ${first?.path ?? ''};`,
  );
}

/** The violations in an answer to `card.action.trigger`; [] when Feishu would accept it. */
export function checkCallbackAnswer(answer: unknown): CardViolation[] {
  return validateCallbackAnswer(answer);
}

/**
 * Throws, naming every violation, when an answer to `card.action.trigger` is not one Feishu
 * accepts; for the helpers that tap cards, so the tapping test fails as the tapper would see.
 */
export function assertCallbackAnswer(answer: unknown): void {
  const violations = validateCallbackAnswer(answer);
  if (violations.length > 0) {
    throw new Error(`Feishu would refuse this callback answer (code ${violations[0]?.code}): ${describe(violations)}`);
  }
}
