import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateCard } from '../../src/feishu/cards/conformance.js';
import { joinInputs, splitForInputs } from '../../src/feishu/cards/limits.js';
import { useTestBot } from '../helpers/use-test-bot.js';
import { han, largeDistrictCards, range } from './large-district.js';

/**
 * Every card template, rendered by its presenter with the largest data a district realistically
 * has (300 people, 40 water bodies, 60 overdue duties, minutes with 50 items, a 5,000-character
 * plan, a problem with 40 history entries and 30 long progress notes …), stays inside Feishu's
 * Card JSON 2.0 limits: the validator the fake Feishu applies refuses none of them.
 */

const t = useTestBot();
const cases = largeDistrictCards(() => t.bot.commands.list());

describe('long text in several inputs', () => {
  it('splits a 5,000-character plan into inputs of at most 1,000 characters and joins it back', () => {
    const plan = range(40)
      .map((i) => `${i}. ${han(97)}`)
      .join('\n');
    const parts = splitForInputs(plan, 5);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(joinInputs(parts)).toBe(plan);
    // A saved plan as long as the inputs hold is split without losing a character.
    const full = range(50)
      .map((i) => `${i}. ${han(96)}`)
      .join('\n')
      .slice(0, 5000);
    expect(joinInputs(splitForInputs(full, 5)).replace(/\n/g, '')).toBe(full.replace(/\n/g, ''));
  });
});

describe('card limits', () => {
  it('every template in cards/ is rendered here', () => {
    const templates = readdirSync(new URL('../../cards/', import.meta.url))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(Object.keys(cases).sort()).toEqual(templates);
  });

  for (const [template, renderings] of Object.entries(cases)) {
    for (const rendering of renderings) {
      it(`${template}: ${rendering.name}`, () => {
        expect(validateCard(rendering.card())).toEqual([]);
      });
    }
  }
});
