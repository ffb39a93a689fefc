import { describe, expect, it } from 'vitest';
import { type AssessmentScheme, DEFAULT_SCHEME } from '../../src/domain/assessment/scheme.js';
import { scoreAndRank, scoreUnit, type UnitFacts } from '../../src/domain/assessment/score.js';

/** Scoring rules on small hand-made facts: scaling, caps, ties, and units without records. */

const unit = (name: string, over: Partial<UnitFacts> = {}): UnitFacts => ({
  unitId: name,
  name,
  group: 'township',
  duties: [],
  problems: [],
  sanctions: [],
  ...over,
});
const duty = (fulfilled: boolean) => ({ record: '某某（某河乡级河湖长）', period: '2026年1月', fulfilled });
const problem = (kind: 'ordinary' | 'inspection' | 'decision', closedOnTime: boolean, rectified = closedOnTime) => ({
  record: '0001 问题',
  kind,
  deadline: '2026年3月31日',
  closed: rectified ? '2026年3月20日' : undefined,
  closedOnTime,
  rectified,
});
const sanction = (kind: 'prompt' | 'bulletin' | 'admonition', praise = false) => ({
  record: kind,
  kind,
  praise,
  day: '2026年5月1日',
  reason: '原因',
});

describe('a unit’s score', () => {
  it('is each item’s weight times its share, items without records scaled out', () => {
    // 巡河 3/4 → 22.5; 问题 1/2 → 15; others have no records: 37.5 × 100/60 = 62.5.
    const s = scoreUnit(
      unit('甲', {
        duties: [duty(true), duty(true), duty(true), duty(false)],
        problems: [problem('ordinary', true), problem('ordinary', false)],
      }),
      DEFAULT_SCHEME,
    );
    expect(s.items.map((i) => [i.id, i.applicable, i.done, i.of, i.points])).toEqual([
      ['patrols', true, 3, 4, 22.5],
      ['issues', true, 1, 2, 15],
      ['inspections', false, 0, 0, 0],
      ['decisions', false, 0, 0, 0],
    ]);
    expect(s.itemPoints).toBe(62.5);
    expect(s.items[0]?.evidence.filter((e) => !e.counts).map((e) => e.detail)).toEqual(['未巡河']);
  });

  it('counts a late but finished inspection finding as rectified, not a late decision as on time', () => {
    const s = scoreUnit(
      unit('乙', { problems: [problem('inspection', false, true), problem('decision', false, true)] }),
      DEFAULT_SCHEME,
    );
    expect(s.items.find((i) => i.id === 'inspections')?.points).toBe(20);
    expect(s.items.find((i) => i.id === 'decisions')?.points).toBe(0);
    expect(s.total).toBe(50);
  });

  it('takes off per 提示/通报批评/约谈 and adds per 通报表扬, each up to its cap', () => {
    const scheme: AssessmentScheme = {
      ...DEFAULT_SCHEME,
      deductions: { prompt: 2, bulletin: 5, admonition: 10, cap: 15 },
      bonus: { praiseBulletin: 2, cap: 3 },
    };
    const s = scoreUnit(
      unit('丙', {
        duties: [duty(true)],
        sanctions: [
          sanction('prompt'),
          sanction('bulletin'),
          sanction('admonition'),
          sanction('bulletin', true),
          sanction('bulletin', true),
        ],
      }),
      scheme,
    );
    expect([s.deduction.raw, s.deduction.points, s.bonus.raw, s.bonus.points]).toEqual([17, 15, 4, 3]);
    expect(s.total).toBe(100 - 15 + 3);
    expect(s.deduction.evidence.map((e) => e.detail)).toEqual(['提示：原因', '通报批评：原因', '约谈：原因']);
  });
});

describe('ranks', () => {
  it('share a place on equal totals and skip the next (1, 2, 2, 4); groups are ranked apart; units without records are not ranked', () => {
    const all = scoreAndRank(
      [
        unit('甲', { duties: [duty(true), duty(false)] }), // 50
        unit('乙', { duties: [duty(true)] }), // 100
        unit('丙', { duties: [duty(false), duty(true)] }), // 50
        unit('丁', { duties: [duty(false)] }), // 0
        unit('戊'),
        unit('部门', { group: 'department', problems: [problem('ordinary', false)] }), // 0
      ],
      DEFAULT_SCHEME,
    );
    expect(all.map((s) => [s.name, s.total, s.assessed ? s.rank : '—'])).toEqual([
      ['乙', 100, 1],
      ['甲', 50, 2],
      ['丙', 50, 2],
      ['丁', 0, 4],
      ['戊', 100, '—'],
      ['部门', 0, 1],
    ]);
  });
});
