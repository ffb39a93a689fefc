/**
 * The vocabulary of card JSON 2.0 rules: what a property may hold. The component table in
 * components.ts is written with these; the walker in conformance.ts applies them.
 */

/** What one property of a component (or of a nested object) may hold. */
export type PropRule =
  | { kind: 'string'; oneOf?: readonly string[]; pattern?: RegExp; patternHint?: string; maxChars?: number }
  | { kind: 'boolean' }
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'number'; min?: number; max?: number }
  /** A text object (`plain_text`, sometimes `lark_md`). */
  | { kind: 'text'; tags: readonly string[]; maxChars?: number }
  /** A list of child components, each checked against the component table. */
  | { kind: 'elements' }
  /** A nested object with known keys. */
  | { kind: 'object'; props: Record<string, PropRule>; required?: readonly string[] }
  | { kind: 'array'; of: PropRule; minItems?: number }
  /** A JSON object whose contents are the developer's (callback values, chart specs, i18n maps). */
  | { kind: 'freeObject' }
  /** A string or a JSON object (historical `value`). */
  | { kind: 'stringOrObject' }
  /** `behaviors`: callback / open_url entries. */
  | { kind: 'behaviors' }
  | { kind: 'any' };

export const str = (oneOf?: readonly string[]): PropRule => ({ kind: 'string', oneOf });
export const pattern = (re: RegExp, hint: string): PropRule => ({ kind: 'string', pattern: re, patternHint: hint });
export const bool: PropRule = { kind: 'boolean' };
export const int = (min?: number, max?: number): PropRule => ({ kind: 'int', min, max });
export const num = (min?: number, max?: number): PropRule => ({ kind: 'number', min, max });
export const plainText = (maxChars?: number): PropRule => ({ kind: 'text', tags: ['plain_text'], maxChars });
export const anyText: PropRule = { kind: 'text', tags: ['plain_text', 'lark_md'] };
export const elements: PropRule = { kind: 'elements' };
export const obj = (props: Record<string, PropRule>, required?: readonly string[]): PropRule => ({
  kind: 'object',
  props,
  required,
});
export const arr = (of: PropRule, minItems?: number): PropRule => ({ kind: 'array', of, minItems });
export const freeObject: PropRule = { kind: 'freeObject' };
export const stringOrObject: PropRule = { kind: 'stringOrObject' };
export const behaviors: PropRule = { kind: 'behaviors' };
export const anything: PropRule = { kind: 'any' };

/** Spacing: a named size or `[0,99]px`. */
export const SPACING = pattern(
  /^(small|medium|large|extra_large|\d{1,2}px)$/,
  'small|medium|large|extra_large|[0,99]px',
);
/** Margin / padding: one to four `[-99,99]px` values. */
export const BOX = pattern(/^-?\d{1,2}(px)?( -?\d{1,2}(px)?){0,3}$/, '1–4 values in [-99,99]px');
/** Component widths that take `default`, `fill` or a pixel value. */
export const WIDTH = pattern(/^(default|fill|auto|\d+px)$/, 'default|fill|<n>px');
export const H_ALIGN = str(['left', 'center', 'right']);
export const V_ALIGN = str(['top', 'center', 'bottom']);
export const DIRECTION = str(['vertical', 'horizontal']);

/**
 * Text object fields (plain_text / lark_md) in 2.0.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/plain-text
 */
export const TEXT_PROPS: Record<string, PropRule> = {
  tag: str(),
  content: str(),
  i18n_content: freeObject,
  text_size: str(),
  text_color: str(),
  text_align: H_ALIGN,
  lines: int(1),
};

/**
 * Secondary confirmation dialog: `title` and `text`, both plain_text, both required.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/button
 */
export const CONFIRM = obj({ title: plainText(), text: plainText() }, ['title', 'text']);

/**
 * Icons (standard_icon with a token, or custom_icon with an img_key).
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/title
 */
export const ICON = obj(
  { tag: str(['standard_icon', 'custom_icon']), token: str(), color: str(), img_key: str(), size: str() },
  ['tag'],
);

/**
 * `behaviors` entries the bot may use: a server callback whose value is a JSON object (the
 * open-platform SDKs only carry object values), or a URL to open.
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/button
 */
export const BEHAVIOR_SHAPES: Record<string, { props: Record<string, PropRule>; required: readonly string[] }> = {
  callback: { props: { type: str(), value: freeObject }, required: ['type', 'value'] },
  open_url: {
    props: { type: str(), default_url: str(), android_url: str(), ios_url: str(), pc_url: str() },
    required: ['type', 'default_url'],
  },
};
