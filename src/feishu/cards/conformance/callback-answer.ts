import { CardErrorCode, type CardViolation, validateCard } from './card.js';

/**
 * The answer to a `card.action.trigger` callback: `{}`, or `{ toast?, card? }` where `card`
 * is `{ type: "raw", data: <card JSON> }` or `{ type: "template", data: { template_id, … } }`
 * (处理卡片回调: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/handle-card-callbacks,
 * 卡片回传交互: https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication;
 * the official Go SDK's CardActionTriggerResponse{Toast, Card} with Card{Type, Data}:
 * https://github.com/larksuite/oapi-sdk-go/blob/v3_main/event/dispatcher/callback/model.go).
 */

const TOAST_TYPES = ['info', 'success', 'error', 'warning'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every way the answer departs from the documented shape; [] when Feishu would accept it. */
export function validateCallbackAnswer(answer: unknown): CardViolation[] {
  const out: CardViolation[] = [];
  const bad = (path: string, rule: string, message: string): void => {
    out.push({ path, rule, message, code: CardErrorCode.callbackIllegalFormat });
  };
  if (!isRecord(answer)) {
    bad('', 'type', 'a callback answer is a JSON object ({} for no change)');
    return out;
  }
  for (const key of Object.keys(answer)) {
    if (key !== 'toast' && key !== 'card')
      bad(key, 'unknown-property', `a callback answer has only "toast" and "card", not "${key}"`);
  }
  if (answer.toast !== undefined) checkToast(answer.toast, bad);
  if (answer.card !== undefined) out.push(...checkCard(answer.card, bad));
  return out;
}

function checkToast(toast: unknown, bad: (path: string, rule: string, message: string) => void): void {
  if (!isRecord(toast)) return bad('toast', 'type', 'toast is an object { type, content }');
  for (const key of Object.keys(toast)) {
    if (!['type', 'content', 'i18n'].includes(key)) bad(`toast.${key}`, 'unknown-property', `toast has no "${key}"`);
  }
  if (!TOAST_TYPES.includes(toast.type as (typeof TOAST_TYPES)[number])) {
    bad('toast.type', 'enum', `toast type must be ${TOAST_TYPES.join(', ')}, got ${JSON.stringify(toast.type)}`);
  }
  if (typeof toast.content !== 'string' && !isRecord(toast.i18n))
    bad('toast.content', 'missing-property', 'toast needs "content"');
  if (toast.i18n !== undefined && !isRecord(toast.i18n))
    bad('toast.i18n', 'type', 'toast i18n is an object of locale → text');
}

function checkCard(card: unknown, bad: (path: string, rule: string, message: string) => void): CardViolation[] {
  if (!isRecord(card)) {
    bad('card', 'type', 'card is { type: "raw" | "template", data }');
    return [];
  }
  if (card.type === undefined && ('schema' in card || 'body' in card || 'elements' in card || 'header' in card)) {
    bad(
      'card',
      'callback-card-shape',
      'the card JSON must be wrapped as { type: "raw", data: <card> }, not placed bare under "card"',
    );
    return [];
  }
  for (const key of Object.keys(card)) {
    if (key !== 'type' && key !== 'data')
      bad(`card.${key}`, 'unknown-property', `card has only "type" and "data", not "${key}"`);
  }
  if (card.type === 'raw') {
    // The raw card must itself be a card Feishu can render; otherwise the tapper sees 200673.
    return validateCard(card.data).map((v) => ({
      ...v,
      path: v.path === '' ? 'card.data' : `card.data.${v.path}`,
      code: CardErrorCode.callbackWrongCard,
    }));
  }
  if (card.type === 'template') {
    const data = card.data;
    if (!isRecord(data)) {
      bad('card.data', 'type', 'a template card is { template_id, template_version_name?, template_variable? }');
      return [];
    }
    for (const key of Object.keys(data)) {
      if (!['template_id', 'template_version_name', 'template_variable'].includes(key))
        bad(`card.data.${key}`, 'unknown-property', `a template card has no "${key}"`);
    }
    if (typeof data.template_id !== 'string' || data.template_id === '')
      bad('card.data.template_id', 'missing-property', 'template_id is required');
    if (data.template_version_name !== undefined && typeof data.template_version_name !== 'string')
      bad('card.data.template_version_name', 'type', 'template_version_name is a string');
    if (data.template_variable !== undefined && !isRecord(data.template_variable))
      bad('card.data.template_variable', 'type', 'template_variable is an object');
    return [];
  }
  bad('card.type', 'enum', `card type must be "raw" or "template", got ${JSON.stringify(card.type)}`);
  return [];
}
