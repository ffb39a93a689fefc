import type { IssueState } from '../../domain/issues/lifecycle.js';
import { editDistance } from '../text/edit-distance.js';

/**
 * Forgiving reading of command arguments, as people type them on a phone: a water body or
 * unit by any unique part of its name, a close misspelling answered with “您是不是要找 …”,
 * an ambiguous part answered with the choices, and state words in their everyday forms.
 */

export interface Named {
  id: string;
  name: string;
}

export type NameMatch<T extends Named> =
  | { kind: 'one'; item: T }
  | { kind: 'several'; items: T[] }
  | { kind: 'suggest'; item: T }
  | { kind: 'none' };

/** Names without the parts people leave out: 区水务局 → 水务局, 大渡河（金口河段） → 大渡河. */
function shortForms(name: string): string[] {
  const forms = [name, name.replace(/（[^）]*）|\([^)]*\)/g, ''), name.replace(/^区/, '')];
  return [...new Set(forms.filter((f) => f.length >= 2))];
}

export function matchName<T extends Named>(word: string, items: readonly T[]): NameMatch<T> {
  const text = word.trim();
  if (!text) return { kind: 'none' };
  const exact = items.filter((i) => i.id === text || shortForms(i.name).includes(text));
  if (exact.length === 1 && exact[0]) return { kind: 'one', item: exact[0] };
  const containing = items.filter((i) => i.name.includes(text));
  if (containing.length === 1 && containing[0]) return { kind: 'one', item: containing[0] };
  if (containing.length > 1) return { kind: 'several', items: containing };
  // A typo: the closest name (or its short form) within one edit per three characters.
  let best: { item: T; distance: number } | undefined;
  for (const item of items) {
    for (const form of shortForms(item.name)) {
      const distance = editDistance(text, form);
      if (distance <= Math.max(1, Math.floor(form.length / 3)) && (!best || distance < best.distance))
        best = { item, distance };
    }
  }
  return best ? { kind: 'suggest', item: best.item } : { kind: 'none' };
}

export type StateWord = { states: IssueState[]; overdue?: boolean; label: string };

const STATE_WORDS: Array<[RegExp, StateWord]> = [
  [/^(登记|待交办|未交办)$/, { states: ['reported'], label: '登记（待交办）' }],
  [/^(已交办|交办|待接收)$/, { states: ['assigned'], label: '已交办' }],
  [/^(整改中|整改|在改)$/, { states: ['rectifying'], label: '整改中' }],
  [/^(待核查|核查|待销号)$/, { states: ['pendingVerification'], label: '待核查' }],
  [/^(已销号|销号|已完成|办结|已办结)$/, { states: ['closed'], label: '已销号' }],
  [/^(逾期|已逾期|超期)$/, { states: ['assigned', 'rectifying'], overdue: true, label: '逾期' }],
  [
    /^(未销号|在办|办理中|未完成|全部在办)$/,
    { states: ['reported', 'assigned', 'rectifying', 'pendingVerification'], label: '未销号' },
  ],
];

export function stateWord(word: string): StateWord | undefined {
  return STATE_WORDS.find(([re]) => re.test(word.trim()))?.[1];
}
