import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A tiny template language for the Card JSON files under cards/, so a designer can change a
 * card without reading code:
 * - `"{{name}}"` inside a string is replaced by a value (dotted paths allowed);
 * - a string that is exactly `"{{= name}}"` is replaced by the value itself (objects, numbers);
 * - in an array, `{ "$each": "list", "$as": "item", "$do": <template> }` repeats a part;
 * - in an array, `{ "$if": "flag", "$do": <template> }` includes a part when the value is truthy.
 */

export type TemplateData = Record<string, unknown>;

/** cards/ at the project root, whether this file runs from src/ (tsx) or dist/src/ (built). */
const CARDS_DIR = ['../../../cards/', '../../../../cards/']
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

function fillString(text: string, data: TemplateData): unknown {
  const whole = /^\{\{=\s*([\w.]+)\s*\}\}$/.exec(text);
  if (whole?.[1]) return lookup(data, whole[1]);
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const value = lookup(data, path);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return value === undefined || value === null ? '' : JSON.stringify(value);
  });
}

function isDirective(node: unknown): node is { $each?: string; $if?: string; $as?: string; $do: unknown } {
  return typeof node === 'object' && node !== null && '$do' in node;
}

export function fillTemplate(node: unknown, data: TemplateData): unknown {
  if (typeof node === 'string') return fillString(node, data);
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (const item of node) {
      if (isDirective(item)) {
        if (item.$each !== undefined) {
          const list = lookup(data, item.$each);
          if (!Array.isArray(list)) continue;
          for (const element of list) out.push(fillTemplate(item.$do, { ...data, [item.$as ?? 'item']: element as unknown }));
        } else if (item.$if !== undefined && lookup(data, item.$if)) {
          out.push(fillTemplate(item.$do, data));
        }
        continue;
      }
      out.push(fillTemplate(item, data));
    }
    return out;
  }
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fillTemplate(v, data)]));
  }
  return node;
}

/** Renders `cards/<name>.json` with the given data. */
export function renderCard(name: string, data: TemplateData): Record<string, unknown> {
  return fillTemplate(loadCardTemplate(name), data) as Record<string, unknown>;
}
