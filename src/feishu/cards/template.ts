import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { endsLine, escapeMarkdown, isBlank, Markdown } from '../../workflows/markdown.js';

/**
 * A tiny template language for the Card JSON files under cards/, so a designer can change a
 * card without reading code:
 * - `"{{name}}"` inside a string is replaced by a value (dotted paths allowed);
 * - a string that is exactly `"{{= name}}"` is replaced by the value itself (objects, numbers);
 * - in an array, `{ "$each": "list", "$as": "item", "$do": <template> }` repeats a part;
 * - in an array, `{ "$if": "flag", "$do": <template> }` includes a part when the value is truthy
 *   (empty `Markdown` counts as false).
 *
 * Inside a `markdown` element's `content` every value is escaped (workflows/markdown.ts) unless it
 * is `Markdown`, so people's words never turn into mentions, links or formatting; the template's
 * own text there is the designer's formatting. Everywhere else a `Markdown` value is refused:
 * plain_text would show its escapes and syntax literally.
 */

export type TemplateData = Record<string, unknown>;

/** cards/ at the project root, whether this file runs from src/ (tsx) or dist/src/ (built). */
const CARDS_DIR =
  ['../../../cards/', '../../../../cards/']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../../cards/', import.meta.url));
const cache = new Map<string, unknown>();

/** Loads `cards/<name>.json` once per process. */
export function loadCardTemplate(name: string): unknown {
  let template = cache.get(name);
  if (template === undefined) {
    template = JSON.parse(readFileSync(`${CARDS_DIR}${name}.json`, 'utf8')) as unknown;
    cache.set(name, template);
  }
  return template;
}

function lookup(data: TemplateData, path: string): unknown {
  let current: unknown = data;
  for (const part of path.trim().split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A value written into a string: escaped in markdown content, refused as Markdown anywhere else. */
function textOf(value: unknown, path: string, markdown: boolean, atLineStart: boolean): string {
  if (value instanceof Markdown) {
    if (markdown) return value.source;
    throw new TypeError(`Card template: "{{${path}}}" is Markdown but its place is plain text`);
  }
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else text = value === undefined || value === null ? '' : JSON.stringify(value);
  return markdown ? escapeMarkdown(text, atLineStart) : text;
}

function fillString(text: string, data: TemplateData, markdown: boolean): unknown {
  const whole = /^\{\{=\s*([\w.]+)\s*\}\}$/.exec(text);
  if (whole?.[1]) {
    const value = lookup(data, whole[1]);
    return markdown || value instanceof Markdown ? textOf(value, whole[1], markdown, true) : value;
  }
  // Built in order, so each value knows whether it starts a line of the finished content.
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) {
    const path = match[1] ?? '';
    out += text.slice(last, match.index);
    out += textOf(lookup(data, path), path, markdown, endsLine(out));
    last = match.index + match[0].length;
  }
  return out + text.slice(last);
}

function isDirective(node: unknown): node is { $each?: string; $if?: string; $as?: string; $do: unknown } {
  return typeof node === 'object' && node !== null && '$do' in node;
}

const present = (value: unknown) => Boolean(value) && !(value instanceof Markdown && isBlank(value));

export function fillTemplate(node: unknown, data: TemplateData): unknown {
  if (typeof node === 'string') return fillString(node, data, false);
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (const item of node) {
      if (isDirective(item)) {
        if (item.$each !== undefined) {
          const list = lookup(data, item.$each);
          if (!Array.isArray(list)) continue;
          for (const element of list)
            out.push(fillTemplate(item.$do, { ...data, [item.$as ?? 'item']: element as unknown }));
        } else if (item.$if !== undefined && present(lookup(data, item.$if))) {
          out.push(fillTemplate(item.$do, data));
        }
        continue;
      }
      out.push(fillTemplate(item, data));
    }
    return out;
  }
  if (typeof node === 'object' && node !== null) {
    // A rich-text element's content is markdown; its other properties are not.
    const markdown = (node as { tag?: unknown }).tag === 'markdown';
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [
        k,
        markdown && k === 'content' && typeof v === 'string' ? fillString(v, data, true) : fillTemplate(v, data),
      ]),
    );
  }
  return node;
}

/** Renders `cards/<name>.json` with the given data. */
export function renderCard(name: string, data: TemplateData): Record<string, unknown> {
  return fillTemplate(loadCardTemplate(name), data) as Record<string, unknown>;
}
