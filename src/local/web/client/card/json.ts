/** Reading card JSON 2.0 without trusting its shape: the page shows what it can and skips the rest. */

export type Json = Record<string, unknown>;

export const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
export const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
export const list = (x: unknown): Json[] => (Array.isArray(x) ? x.filter(isObject) : []);
export const bool = (x: unknown): boolean | undefined => (typeof x === 'boolean' ? x : undefined);

/** A text object's content (`plain_text` or `lark_md`); i18n falls back to zh_cn. */
export function textOf(x: unknown): string {
  if (typeof x === 'string') return x;
  if (!isObject(x)) return '';
  const i18n = isObject(x.i18n_content) ? x.i18n_content : isObject(x.i18n) ? x.i18n : undefined;
  return str(x.content) ?? str(i18n?.zh_cn) ?? '';
}

/** The first `callback` behaviour's value, which Feishu sends back as `action.value`. */
export function callbackValue(el: Json): unknown {
  const callback = list(el.behaviors).find((b) => b.type === 'callback');
  return callback?.value ?? el.value;
}

/** The first `open_url` behaviour's address. */
export function openUrl(el: Json): string | undefined {
  const link = list(el.behaviors).find((b) => b.type === 'open_url');
  return link ? (str(link.pc_url) ?? str(link.default_url)) : undefined;
}

/** Named input components inside a container (columns included), as a form collects them. */
export function namedInputs(elements: Json[]): Json[] {
  const out: Json[] = [];
  const walk = (els: Json[]) => {
    for (const el of els) {
      if (el.tag === 'column_set') walk(list(el.columns));
      else if (el.tag === 'column' || el.tag === 'collapsible_panel') walk(list(el.elements));
      else if (INPUT_TAGS.has(str(el.tag) ?? '') && str(el.name)) out.push(el);
    }
  };
  walk(elements);
  return out;
}

export const INPUT_TAGS = new Set([
  'input',
  'select_static',
  'multi_select_static',
  'select_person',
  'multi_select_person',
  'date_picker',
  'picker_time',
  'picker_datetime',
]);
