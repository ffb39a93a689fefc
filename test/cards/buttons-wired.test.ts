import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { approvalButtons, planButtons } from '../../src/feishu/cards/buttons/approval-buttons.js';
import type { ButtonCatalogue } from '../../src/feishu/cards/buttons/button.js';
import { documentButtons } from '../../src/feishu/cards/buttons/document-buttons.js';
import { inspectionButtons } from '../../src/feishu/cards/buttons/inspection-buttons.js';
import { issueButtons } from '../../src/feishu/cards/buttons/issue-buttons.js';
import { patrolButtons } from '../../src/feishu/cards/buttons/patrol-buttons.js';
import { queryButtons } from '../../src/feishu/cards/buttons/query-buttons.js';
import { sanctionButtons } from '../../src/feishu/cards/buttons/sanction-buttons.js';
import { useTestBot } from '../helpers/use-test-bot.js';
import { largeDistrictCards } from './large-district.js';

/** No card ships a button whose tap nothing handles, or whose value its handler would refuse. */

const cardsDir = new URL('../../cards/', import.meta.url);
const t = useTestBot();

/** Every callback value in a card (buttons, form submits, pickers), wherever it is nested. */
function callbackValues(node: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const n of node) callbackValues(n, found);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'callback' && record.value && typeof record.value === 'object') found.push(record.value);
    for (const v of Object.values(record)) callbackValues(v, found);
  }
  return found;
}

const nameOf = (value: unknown) => (value as { a?: unknown }).a;

describe('card buttons', () => {
  it('every callback in cards/ names an action the bot handles', () => {
    const files = readdirSync(cardsDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(5);
    const used = new Set<string>();
    for (const file of files) {
      for (const value of callbackValues(JSON.parse(readFileSync(new URL(file, cardsDir), 'utf8')))) {
        // Templated values ({{= submitValue}}) are built by presenters: checked on rendered cards below.
        const a = nameOf(value);
        if (typeof a === 'string') used.add(a);
      }
    }
    const registered = new Set(t.bot.cardActions.names());
    expect([...used].filter((name) => !registered.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThan(5);
  });

  it('every button on every rendered card reaches a handler whose schema accepts its value', () => {
    const cases = largeDistrictCards(() => t.bot.commands.list());
    const checked = new Set<string>();
    const wrong: Array<{ card: string; value: unknown; outcome: string }> = [];
    for (const [template, renderings] of Object.entries(cases)) {
      for (const rendering of renderings) {
        for (const value of callbackValues(rendering.card())) {
          const outcome = t.bot.cardActions.check(value);
          if (outcome !== 'ok') wrong.push({ card: `${template}: ${rendering.name}`, value, outcome });
          checked.add(String(nameOf(value)));
        }
      }
    }
    expect(wrong).toEqual([]);
    // Values built in code are among them (the problem card's steps, the list rows' 查看).
    expect([...checked]).toEqual(
      expect.arrayContaining(['issue.form', 'issue.act', 'issue.view', 'doc.itemForm', 'plan.save']),
    );
  });

  it('every declared button is wired to a handler of the running bot', () => {
    const catalogues: ButtonCatalogue[] = [
      issueButtons,
      patrolButtons,
      documentButtons,
      queryButtons,
      sanctionButtons,
      inspectionButtons,
      approvalButtons,
      planButtons,
    ];
    const registered = new Set(t.bot.cardActions.names());
    const declared = catalogues.flatMap((c) => Object.values(c).map((b) => b.name));
    expect(declared.filter((name) => !registered.has(name))).toEqual([]);
  });
});
