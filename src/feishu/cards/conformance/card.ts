import { BODY_PROPS, CARD_LINK, COMPONENTS, CONFIG, HEADER, TOP_LEVEL_KEYS } from './components.js';
import { BEHAVIOR_SHAPES, type PropRule, TEXT_PROPS } from './rules.js';

/**
 * Feishu card JSON 2.0 conformance: the documented rules a card must meet before Feishu
 * accepts it in a send, reply, patch or callback answer. Pure; the fake Feishu refuses
 * what this reports, and tests use it to hold every card the bot renders to the platform.
 */

export interface CardViolation {
  /** Where in the card, e.g. `body.elements[1].elements[0].max_length`. */
  path: string;
  /** Short stable name of the rule broken, e.g. `unknown-property`. */
  rule: string;
  message: string;
  /** The code Feishu answers for this kind of violation. */
  code: number;
}

/**
 * Codes Feishu answers. A card it cannot build is refused with HTTP 400, code 230099
 * "Failed to create card content, ext=ErrCode: …; ErrMsg: …" (reported for sends, replies
 * and PATCH: https://github.com/larksuite/openclaw-lark/issues/53,
 * https://github.com/eastreams/loong/issues/697); a card over 30 KB with 230025 (更新应用发送的消息卡片,
 * "卡片及富文本消息请求体最大不能超过30KB": https://open.feishu.cn/document/server-docs/im-v1/message-card/patch).
 * A callback answer of the wrong shape shows the tapper 200672 (card_update_illegal_format), a
 * card Feishu will not render from an answer 200673 (returned a wrong card)
 * (https://github.com/excitedjs/dreamux/issues/267, https://github.com/baileyh8/hermes-feishu-streaming-card/issues/227).
 */
export const CardErrorCode = {
  invalidCard: 230099,
  tooLarge: 230025,
  callbackIllegalFormat: 200672,
  callbackWrongCard: 200673,
} as const;

/** Sub-codes Feishu puts in the 230099 message (`ext=ErrCode: …`): 200621 for schema errors, 11310 for limits. */
export const CardSubCode = { schema: 200621, limit: 11310 } as const;

/** At most 30 KB of card JSON (https://open.feishu.cn/document/server-docs/im-v1/message-card/patch). */
export const MAX_CARD_BYTES = 30 * 1024;
/**
 * At most 200 components in a 2.0 card, counting every element, every text object (plain_text)
 * and each option of a select (卡片 JSON 2.0 结构:
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure).
 */
export const MAX_COMPONENTS = 200;

/** Bytes of the card as it travels (UTF-8 JSON). */
export function cardByteSize(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card) ?? '', 'utf8');
}

/** Components as Feishu counts them: every tagged object and every select option; chart specs and callback values are data. */
export function componentCount(card: unknown): number {
  let count = 0;
  const visit = (node: unknown, key?: string): void => {
    if (key === 'chart_spec' || key === 'value' || key === 'i18n_content') return;
    if (Array.isArray(node)) {
      for (const item of node) {
        // A person option ({ value }) has no text object of its own; count the option itself.
        if (key === 'options' && isRecord(item) && !isRecord(item.text)) count += 1;
        visit(item);
      }
      return;
    }
    if (!isRecord(node)) return;
    if (typeof node.tag === 'string') count += 1;
    for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  visit(card);
  return count;
}

interface FormScope {
  hasSubmit: boolean;
}

interface Walk {
  out: CardViolation[];
  /** Names of form components across the card: they must be unique card-wide. */
  names: Map<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

function report(
  walk: Walk,
  path: string,
  rule: string,
  message: string,
  code: number = CardErrorCode.invalidCard,
): void {
  walk.out.push({ path, rule, message, code });
}

/** Reports keys the table does not list: 2.0 refuses unsupported properties (版本更新说明). */
function checkKeys(
  walk: Walk,
  node: Record<string, unknown>,
  allowed: Record<string, unknown>,
  path: string,
  what: string,
): void {
  for (const key of Object.keys(node)) {
    if (!(key in allowed))
      report(walk, join(path, key), 'unknown-property', `${what} has no property "${key}" in card JSON 2.0`);
  }
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function checkProp(walk: Walk, value: unknown, rule: PropRule, path: string, form: FormScope | undefined): void {
  switch (rule.kind) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') return report(walk, path, 'type', `expected a string, got ${kind(value)}`);
      if (rule.oneOf && !rule.oneOf.includes(value))
        return report(walk, path, 'enum', `"${value}" is not one of ${rule.oneOf.join(', ')}`);
      if (rule.pattern && !rule.pattern.test(value))
        return report(walk, path, 'format', `"${value}" is not ${rule.patternHint ?? rule.pattern.source}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') report(walk, path, 'type', `expected a boolean, got ${kind(value)}`);
      return;
    case 'int':
    case 'number':
      if (typeof value !== 'number' || (rule.kind === 'int' && !Number.isInteger(value))) {
        return report(
          walk,
          path,
          'type',
          `expected ${rule.kind === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`,
        );
      }
      if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
        report(walk, path, 'range', `${value} is outside ${rule.min ?? '-∞'}–${rule.max ?? '∞'}`);
      }
      return;
    case 'text': {
      if (!isRecord(value)) return report(walk, path, 'type', `expected a text object, got ${kind(value)}`);
      checkKeys(walk, value, TEXT_PROPS, path, 'a text object');
      if (typeof value.tag !== 'string' || !rule.tags.includes(value.tag)) {
        report(
          walk,
          join(path, 'tag'),
          'enum',
          `text tag must be ${rule.tags.join(' or ')}, got ${JSON.stringify(value.tag)}`,
        );
      }
      if (typeof value.content !== 'string' && !isRecord(value.i18n_content)) {
        return report(walk, join(path, 'content'), 'missing-property', 'a text object needs "content"');
      }
      if (
        typeof value.content === 'string' &&
        rule.maxChars !== undefined &&
        [...value.content].length > rule.maxChars
      ) {
        report(
          walk,
          join(path, 'content'),
          'range',
          `text is ${[...value.content].length} characters, at most ${rule.maxChars}`,
        );
      }
      return;
    }
    case 'elements':
      if (!Array.isArray(value)) return report(walk, path, 'type', `expected a list of components, got ${kind(value)}`);
      value.forEach((child, i) => checkComponent(walk, child, join(path, i), { form, atBodyRoot: false }));
      return;
    case 'object':
      if (!isRecord(value)) return report(walk, path, 'type', `expected an object, got ${kind(value)}`);
      checkKeys(walk, value, rule.props, path, 'this object');
      for (const key of rule.required ?? []) {
        if (value[key] === undefined) report(walk, join(path, key), 'missing-property', `"${key}" is required`);
      }
      for (const [key, sub] of Object.entries(rule.props)) {
        if (value[key] !== undefined) checkProp(walk, value[key], sub, join(path, key), form);
      }
      return;
    case 'array':
      if (!Array.isArray(value)) return report(walk, path, 'type', `expected a list, got ${kind(value)}`);
      if (rule.minItems !== undefined && value.length < rule.minItems) {
        report(walk, path, 'empty-list', `needs at least ${rule.minItems} item(s), has ${value.length}`);
      }
      value.forEach((item, i) => checkProp(walk, item, rule.of, join(path, i), form));
      return;
    case 'freeObject':
      if (!isRecord(value)) report(walk, path, 'type', `expected a JSON object, got ${kind(value)}`);
      return;
    case 'stringOrObject':
      if (typeof value !== 'string' && !isRecord(value))
        report(walk, path, 'type', `expected a string or object, got ${kind(value)}`);
      return;
    case 'behaviors':
      checkBehaviors(walk, value, path);
      return;
  }
}

function checkBehaviors(walk: Walk, value: unknown, path: string): void {
  if (!Array.isArray(value)) return report(walk, path, 'type', `expected a list of behaviors, got ${kind(value)}`);
  value.forEach((behavior, i) => {
    const at = join(path, i);
    if (!isRecord(behavior)) return report(walk, at, 'type', `expected a behavior object, got ${kind(behavior)}`);
    const shape = typeof behavior.type === 'string' ? BEHAVIOR_SHAPES[behavior.type] : undefined;
    if (!shape)
      return report(
        walk,
        join(at, 'type'),
        'enum',
        `behavior type must be ${Object.keys(BEHAVIOR_SHAPES).join(' or ')}, got ${JSON.stringify(behavior.type)}`,
      );
    checkKeys(walk, behavior, shape.props, at, `a ${String(behavior.type)} behavior`);
    for (const key of shape.required) {
      if (behavior[key] === undefined) report(walk, join(at, key), 'missing-property', `"${key}" is required`);
    }
    for (const [key, rule] of Object.entries(shape.props)) {
      if (behavior[key] !== undefined && key !== 'type') checkProp(walk, behavior[key], rule, join(at, key), undefined);
    }
  });
}

function checkComponent(
  walk: Walk,
  node: unknown,
  path: string,
  where: { form: FormScope | undefined; atBodyRoot: boolean },
): void {
  if (!isRecord(node)) return report(walk, path, 'type', `expected a component object, got ${kind(node)}`);
  const tag = node.tag;
  const spec = typeof tag === 'string' ? COMPONENTS[tag] : undefined;
  if (typeof tag !== 'string' || !spec)
    return report(walk, join(path, 'tag'), 'unknown-tag', `"${String(tag)}" is not a card JSON 2.0 component`);
  checkKeys(walk, node, spec.props, path, `${tag}`);
  for (const key of spec.required ?? []) {
    if (node[key] === undefined) report(walk, join(path, key), 'missing-property', `${tag} needs "${key}"`);
  }

  let form = where.form;
  if (tag === 'form') {
    // Forms stand only directly under body and hold no other form (表单容器 嵌套规则).
    if (where.form) report(walk, path, 'form-nested', 'a form cannot contain another form');
    else if (!where.atBodyRoot) report(walk, path, 'form-placement', 'a form may only stand directly in body.elements');
    form = { hasSubmit: false };
  }
  if (spec.formOnly && !where.form) report(walk, path, 'form-only', `${tag} may only be used inside a form`);
  if (spec.interactive && where.form) {
    // Inside a form every interactive component needs a name, unique in the whole card (输入框 name).
    const name = node.name;
    if (typeof name !== 'string' || name === '')
      report(walk, join(path, 'name'), 'form-name-missing', `${tag} inside a form needs a "name"`);
    else if (walk.names.has(name))
      report(
        walk,
        join(path, 'name'),
        'form-name-duplicate',
        `name "${name}" is already used at ${walk.names.get(name)}`,
      );
    else walk.names.set(name, path);
    if (tag === 'button' && node.form_action_type === 'submit') where.form.hasSubmit = true;
  }

  for (const [key, rule] of Object.entries(spec.props)) {
    if (key !== 'tag' && node[key] !== undefined) checkProp(walk, node[key], rule, join(path, key), form);
  }
  if (tag === 'form' && form && !form.hasSubmit) {
    report(walk, path, 'form-missing-submit', 'a form needs a button with form_action_type "submit"');
  }
}

/**
 * Every documented 2.0 rule the card breaks, in document order; [] when Feishu would accept it.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure
 */
export function validateCard(card: unknown): CardViolation[] {
  const walk: Walk = { out: [], names: new Map() };
  if (!isRecord(card)) {
    report(walk, '', 'type', `a card is a JSON object, got ${kind(card)}`, CardErrorCode.invalidCard);
    return walk.out;
  }
  // JSON 2.0 must be declared explicitly; without it Feishu reads the card as 1.0.
  if (card.schema !== '2.0')
    report(walk, 'schema', 'schema', `schema must be "2.0", got ${JSON.stringify(card.schema)}`);
  const allowed = Object.fromEntries(TOP_LEVEL_KEYS.map((k) => [k, true]));
  checkKeys(walk, card, allowed, '', 'a 2.0 card');
  if (card.config !== undefined) {
    checkProp(walk, card.config, CONFIG, 'config', undefined);
    // 2.0 cards are always shared: update_multi only accepts true (版本更新说明).
    if (isRecord(card.config) && card.config.update_multi === false) {
      report(walk, 'config.update_multi', 'enum', 'update_multi only accepts true in card JSON 2.0');
    }
  }
  if (card.card_link !== undefined) checkProp(walk, card.card_link, CARD_LINK, 'card_link', undefined);
  if (card.header !== undefined) checkProp(walk, card.header, HEADER, 'header', undefined);
  if (card.i18n_header !== undefined)
    checkProp(walk, card.i18n_header, { kind: 'freeObject' }, 'i18n_header', undefined);
  if (card.body !== undefined) {
    if (!isRecord(card.body)) report(walk, 'body', 'type', `expected an object, got ${kind(card.body)}`);
    else {
      checkKeys(walk, card.body, BODY_PROPS, 'body', 'body');
      for (const [key, rule] of Object.entries(BODY_PROPS)) {
        if (key !== 'elements' && card.body[key] !== undefined)
          checkProp(walk, card.body[key], rule, join('body', key), undefined);
      }
      const list = card.body.elements;
      if (list !== undefined && !Array.isArray(list))
        report(walk, 'body.elements', 'type', `expected a list of components, got ${kind(list)}`);
      if (Array.isArray(list))
        list.forEach((child, i) =>
          checkComponent(walk, child, `body.elements[${i}]`, { form: undefined, atBodyRoot: true }),
        );
    }
  }
  const count = componentCount(card);
  if (count > MAX_COMPONENTS) report(walk, '', 'component-limit', `${count} components, at most ${MAX_COMPONENTS}`);
  const bytes = cardByteSize(card);
  if (bytes > MAX_CARD_BYTES)
    report(walk, '', 'size-limit', `${bytes} bytes of JSON, at most ${MAX_CARD_BYTES}`, CardErrorCode.tooLarge);
  return walk.out;
}
