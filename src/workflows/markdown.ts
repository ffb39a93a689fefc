/**
 * Card markdown that is safe by default.
 *
 * Feishu's rich-text (`markdown`) element interprets its content: `<at id=all></at>` @-mentions a
 * whole group, `<font>`, `<link>`, `<text_tag>`, `<local_datetime>`, `[text](url)`, `**`, `~~`,
 * `#` headings, `|` tables and code spans all render. People's words (descriptions, reasons,
 * progress, places, names typed into forms or the directory file) must therefore never reach that
 * content as they are. Rich-text component, JSON 2.0, section 特殊字符转义: a character that
 * markdown would read as syntax is shown as itself when written as an HTML character reference
 * such as `&#60;` (<), `&#62;` (>), `&#42;` (*), `&#126;` (~), `&#35;` (#), `&#91;` ([), `&#93;` (]):
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text
 * A reference leaves no `<` or `[` in the content at all, so no tag or link can be formed from it,
 * whatever Feishu parses first.
 *
 * How it is kept safe: card templates escape every value they put into a `markdown` element's
 * content (feishu/cards/template.ts) unless the value is a `Markdown`, and a `Markdown` can only be
 * built by `md\`…\``, whose literal parts are the bot's own formatting and whose interpolated
 * values are escaped, or by `mention`, which checks the id. Forgetting to escape therefore shows
 * stray `&#42;&#42;` on a card (tests see it) instead of formatting or @-mentioning from people's text.
 *
 * Views carry `Markdown` where a field holds formatted card text; it lives with the workflows
 * because they compose such text (lists, summaries) for the presenters under feishu/cards.
 */

let make: (source: string) => Markdown;

/** Formatted card text: the bot's formatting with every person-typed part already escaped. */
export class Markdown {
  static {
    make = (source) => new Markdown(source);
  }

  /** Only this module makes one, through `md`, `joinMarkdown`, `mention` or the explicit `rawMarkdown`. */
  private constructor(readonly source: string) {}

  get isEmpty(): boolean {
    return this.source === '';
  }
}

/**
 * The explicit opt-out: text taken as formatting without escaping. Only for the bot's own
 * constant text; never for anything a person typed or the directory file holds.
 */
export function rawMarkdown(source: string): Markdown {
  return make(source);
}

/** What may be written into card markdown: strings and numbers are escaped, `Markdown` is kept. */
export type MarkdownPart = Markdown | string | number | null | undefined;

/**
 * What markdown would read as syntax: list, rule and setext-heading markers at the start of a
 * line (`-`, `+`, `=`, `1.`, `2)`); an `&` that starts a character reference; and anywhere on a
 * line tags and mentions (<, >), emphasis and strikethrough (*, _, ~), links and images ([, ]),
 * code (`), headings (#), tables (|), and the backslash, which would escape the bot's own
 * formatting that follows a person's text (`description\` then `**位置**`).
 */
const SYNTAX = /^([ \t]*)([-+=])|^([ \t]*\d+)([.)])|&(?=#?[0-9A-Za-z]+;)|[<>*_~[\]`#|\\]/gm;
const INLINE_SYNTAX = /&(?=#?[0-9A-Za-z]+;)|[<>*_~[\]`#|\\]/g;

const reference = (c: string) => `&#${c.charCodeAt(0)};`;

function escapeLines(text: string): string {
  // One pass, so no reference written here is read again as text to escape.
  return text.replace(SYNTAX, (match: string, indent?: string, marker?: string, number?: string, dot?: string) => {
    if (marker !== undefined) return `${indent ?? ''}${reference(marker)}`;
    if (dot !== undefined) return `${number ?? ''}${reference(dot)}`;
    return reference(match);
  });
}

/**
 * Escapes text so card markdown shows it exactly as typed, writing each syntax character as a
 * character reference; other punctuation is left alone, keeping cards within Feishu's 30 KB.
 * `atLineStart: false` says the text continues a line, so its first line starts no list (`87.29`).
 */
export function escapeMarkdown(text: string, atLineStart = true): string {
  if (atLineStart) return escapeLines(text);
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  return first.replace(INLINE_SYNTAX, reference) + (newline < 0 ? '' : escapeLines(text.slice(newline)));
}

/** True when text written after `source` starts a line. */
export const endsLine = (source: string) => /(^|\n)[ \t]*$/.test(source);

function sourceOf(part: MarkdownPart, atLineStart = true): string {
  if (part instanceof Markdown) return part.source;
  if (part === null || part === undefined) return '';
  return escapeMarkdown(String(part), atLineStart);
}

/**
 * Card markdown from a template literal: the literal text is the bot's formatting (`**问题**：`,
 * `<font color='grey'>`), every `${value}` is escaped unless it is already `Markdown`.
 */
export function md(strings: TemplateStringsArray, ...values: MarkdownPart[]): Markdown {
  let source = strings[0] ?? '';
  values.forEach((value, i) => {
    source += sourceOf(value, endsLine(source)) + (strings[i + 1] ?? '');
  });
  return make(source);
}

/** Joins the non-empty parts (strings escaped), one per line unless another separator is given. */
export function joinMarkdown(parts: Array<MarkdownPart | false>, separator: Markdown | string = '\n'): Markdown {
  const sep = typeof separator === 'string' ? escapeMarkdown(separator, false) : separator.source;
  return make(
    parts
      .filter((p): p is MarkdownPart => p !== false)
      .map((p) => sourceOf(p))
      .filter((s) => s !== '')
      .join(sep),
  );
}

/** An @-mention of a person by open_id; anything that is not an id is shown as text, never as a tag. */
export function mention(openId: string): Markdown {
  return /^[A-Za-z0-9_-]+$/.test(openId) ? make(`<at id=${openId}></at>`) : md`${openId}`;
}

/** True for a value a card should leave out: nothing, an empty string or empty markdown. */
export function isBlank(part: MarkdownPart): boolean {
  return part === null || part === undefined || part === '' || (part instanceof Markdown && part.isEmpty);
}
