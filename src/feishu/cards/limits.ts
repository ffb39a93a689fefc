/**
 * Bounds that keep every card inside Feishu's Card JSON 2.0 limits by design: at most 200
 * components (every plain_text and select option counted) and at most 30 KB of JSON
 * (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure),
 * and `input.max_length` 1–1000
 * (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/interactive-components/input).
 * Presenters cap lists and cut long user text with these, and say where the rest is.
 */

/** The longest text one `input` may take. */
export const INPUT_MAX_CHARS = 1000;

/**
 * Person pickers list the directory's people as options only up to this many (each option is
 * a component); past it the picker has no options and Feishu offers the chat's members.
 */
export const PERSON_OPTIONS_CAP = 40;

/** `text` cut to `max` characters, the cut marked. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}……`;
}

/** The first `max` items, and how many were left out. */
export function capped<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}

/** The last `max` items (the latest of a chronological list), and how many earlier ones were left out. */
export function latest<T>(items: readonly T[], max: number): { shown: T[]; earlier: number } {
  return { shown: items.slice(Math.max(0, items.length - max)), earlier: Math.max(0, items.length - max) };
}

/** Lines of a list, each cut to `chars`, at most `max` of them, then `另有 N 项，<where>`. */
export function cappedLines(lines: readonly string[], max: number, chars: number, where: string): string[] {
  const { shown, more } = capped(lines, max);
  return [...shown.map((line) => clip(line, chars)), ...(more > 0 ? [`另有 ${more} 项，${where}`] : [])];
}

/**
 * Text split into parts of at most `size` characters, at line ends where possible, for several
 * inputs; text beyond `parts × size` characters does not fit and is left off.
 */
export function splitForInputs(text: string, parts: number, size = INPUT_MAX_CHARS): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > 0 && out.length < parts) {
    if (rest.length <= size) {
      out.push(rest);
      break;
    }
    // Cut at a line end when the rest still fits the inputs left; else cut hard, losing nothing.
    const cut = rest.lastIndexOf('\n', size);
    const room = (parts - out.length - 1) * size;
    const end = cut > size / 2 && rest.length - cut - 1 <= room ? cut : size;
    out.push(rest.slice(0, end));
    rest = rest.slice(end).replace(/^\n/, '');
  }
  while (out.length < parts) out.push('');
  return out;
}

/** The input name of part `k` (from 1) of a field taken in several inputs: `plan`, `plan_2`, `plan_3` … */
export const partName = (field: string, k: number) => (k === 1 ? field : `${field}_${k}`);

/** The names of a field's `parts` inputs. */
export const partNames = (field: string, parts: number) =>
  Array.from({ length: parts }, (_, k) => partName(field, k + 1));

/** The parts of a text typed into several inputs, joined back (empty parts dropped). */
export function joinInputs(parts: ReadonlyArray<string | undefined>): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter(Boolean)
    .join('\n');
}
