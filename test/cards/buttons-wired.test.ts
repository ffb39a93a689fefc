import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestBot } from '../helpers/use-test-bot.js';

/** No card ships a button whose tap nothing handles. */

const cardsDir = new URL('../../cards/', import.meta.url);
const t = useTestBot();

function actionNames(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => actionNames(n, found));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'callback' && record.value && typeof record.value === 'object') {
      const a = (record.value as { a?: unknown }).a;
      if (typeof a === 'string') found.add(a);
    }
    Object.values(record).forEach((v) => actionNames(v, found));
  }
  return found;
}

describe('card buttons', () => {
  it('every callback in cards/ names an action the bot handles', () => {
    const files = readdirSync(cardsDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(5);
    const used = new Set<string>();
    for (const file of files) actionNames(JSON.parse(readFileSync(new URL(file, cardsDir), 'utf8')), used);
    // Templated values ({{= submitValue}}) are built in presenters; their names are checked by the flows' tests.
    const registered = new Set(t.bot.cardActions.names());
    expect([...used].filter((name) => !registered.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThan(5);
  });
});
