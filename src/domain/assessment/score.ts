import type { AssessmentScheme, Measure, SchemeItem } from './scheme.js';
import { fullMarks } from './scheme.js';

/**
 * Scores from records (seed art. 16): every point traceable. The facts are what the year's
 * records say about one unit; each item's score is its weight times the share of records
 * that count, and each record is an evidence line. Pure: the workflow gathers the facts.
 */

export type UnitGroup = 'township' | 'department';
export const GROUP_NAMES: Record<UnitGroup, string> = { township: '乡镇', department: '区级部门' };

/** One duty-period of a township chief: fulfilled or not. */
export interface DutyPeriodFact {
  record: string;
  period: string;
  fulfilled: boolean;
}

/** A problem assigned to the unit whose deadline fell in the year (up to the cut-off). */
export interface ProblemFact {
  record: string;
  kind: 'ordinary' | 'inspection' | 'decision';
  deadline: string;
  closed?: string;
  closedOnTime: boolean;
  /** Closed by the assessment's cut-off (late or not). */
  rectified: boolean;
}

export interface SanctionFact {
  record: string;
  kind: 'prompt' | 'bulletin' | 'admonition';
  praise: boolean;
  day: string;
  reason: string;
}

export interface UnitFacts {
  unitId: string;
  name: string;
  group: UnitGroup;
  duties: DutyPeriodFact[];
  problems: ProblemFact[];
  sanctions: SanctionFact[];
}

export interface EvidenceLine {
  record: string;
  day: string;
  detail: string;
  /** Whether the record counts for the unit (fulfilled, on time) or against it. */
  counts: boolean;
  points?: number;
}

export interface ItemScore {
  id: string;
  name: string;
  weight: number;
  measure: Measure;
  /** False when the unit had no records for it: the other items are scaled up instead. */
  applicable: boolean;
  done: number;
  of: number;
  points: number;
  evidence: EvidenceLine[];
}

export interface UnitScore {
  unitId: string;
  name: string;
  group: UnitGroup;
  items: ItemScore[];
  /** The items' points after scaling for items that did not apply. */
  itemPoints: number;
  bonus: { points: number; raw: number; evidence: EvidenceLine[] };
  deduction: { points: number; raw: number; evidence: EvidenceLine[] };
  total: number;
  /** False when the year left no record on the unit at all: it is listed, not ranked. */
  assessed: boolean;
  /** 1 for the best in its group; equal totals share a rank (1, 2, 2, 4); 0 when not assessed. */
  rank: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const SANCTION_NAMES = { prompt: '提示', bulletin: '通报批评', admonition: '约谈' } as const;

function measure(
  item: SchemeItem,
  facts: UnitFacts,
): Omit<ItemScore, 'id' | 'name' | 'weight' | 'measure' | 'applicable' | 'points'> {
  const problems = (kind: ProblemFact['kind'], counts: (p: ProblemFact) => boolean) => {
    const lines = facts.problems
      .filter((p) => p.kind === kind)
      .map((p) => ({
        record: p.record,
        day: p.deadline,
        detail: `时限${p.deadline}，${p.closed ? `${p.closed}销号` : '未销号'}${p.closed ? (p.closedOnTime ? '，按期' : '，逾期') : ''}`,
        counts: counts(p),
      }));
    return { done: lines.filter((l) => l.counts).length, of: lines.length, evidence: lines };
  };
  switch (item.measure) {
    case 'patrolFulfilment': {
      const lines = facts.duties.map((d) => ({
        record: d.record,
        day: d.period,
        detail: d.fulfilled ? '已履职' : '未巡河',
        counts: d.fulfilled,
      }));
      return { done: lines.filter((l) => l.counts).length, of: lines.length, evidence: lines };
    }
    case 'issuesClosedOnTime':
      return problems('ordinary', (p) => p.closedOnTime);
    case 'inspectionFindingsRectified':
      return problems('inspection', (p) => p.rectified);
    case 'decisionsCompletedOnTime':
      return problems('decision', (p) => p.closedOnTime);
  }
}

/** One unit's score under the scheme (rank left at 0: ranks are set over a group). */
export function scoreUnit(facts: UnitFacts, scheme: AssessmentScheme): UnitScore {
  const items: ItemScore[] = scheme.items.map((item) => {
    const m = measure(item, facts);
    const applicable = m.of > 0;
    return {
      id: item.id,
      name: item.name,
      weight: item.weight,
      measure: item.measure,
      applicable,
      ...m,
      points: applicable ? round2((item.weight * m.done) / m.of) : 0,
    };
  });
  const full = fullMarks(scheme);
  const applicableWeight = items.filter((i) => i.applicable).reduce((sum, i) => sum + i.weight, 0);
  const earned = items.reduce((sum, i) => sum + i.points, 0);
  // Items without records do not count against the unit: the others are scaled to full marks.
  const itemPoints = applicableWeight === 0 ? full : round2((earned * full) / applicableWeight);

  const critical = facts.sanctions.filter((s) => !s.praise);
  const deductionLines = critical.map((s) => ({
    record: s.record,
    day: s.day,
    detail: `${SANCTION_NAMES[s.kind]}：${s.reason}`,
    counts: false,
    points: scheme.deductions[s.kind],
  }));
  const deductionRaw = deductionLines.reduce((sum, l) => sum + l.points, 0);
  const praise = facts.sanctions.filter((s) => s.praise);
  const bonusLines = praise.map((s) => ({
    record: s.record,
    day: s.day,
    detail: `通报表扬：${s.reason}`,
    counts: true,
    points: scheme.bonus.praiseBulletin,
  }));
  const bonusRaw = bonusLines.reduce((sum, l) => sum + l.points, 0);
  const deduction = Math.min(deductionRaw, scheme.deductions.cap);
  const bonus = Math.min(bonusRaw, scheme.bonus.cap);
  return {
    unitId: facts.unitId,
    name: facts.name,
    group: facts.group,
    items,
    itemPoints,
    bonus: { points: bonus, raw: bonusRaw, evidence: bonusLines },
    deduction: { points: deduction, raw: deductionRaw, evidence: deductionLines },
    total: round2(itemPoints + bonus - deduction),
    assessed: applicableWeight > 0 || facts.sanctions.length > 0,
    rank: 0,
  };
}

/**
 * Every unit scored and ranked within its group, best first: equal totals share a rank and
 * the next rank skips (1, 2, 2, 4); equal totals keep the directory's order. Units the year
 * left no record on follow, unranked.
 */
export function scoreAndRank(units: UnitFacts[], scheme: AssessmentScheme): UnitScore[] {
  const scored = units.map((u, order) => ({ score: scoreUnit(u, scheme), order }));
  const out: UnitScore[] = [];
  for (const group of ['township', 'department'] as const) {
    const inGroup = scored.filter((s) => s.score.group === group);
    const ranked = inGroup
      .filter((s) => s.score.assessed)
      .sort((a, b) => b.score.total - a.score.total || a.order - b.order);
    ranked.forEach((s, i) => {
      const previous = out.at(-1);
      const tied = i > 0 && previous && previous.total === s.score.total;
      out.push({ ...s.score, rank: tied ? previous.rank : i + 1 });
    });
    out.push(...inGroup.filter((s) => !s.score.assessed).map((s) => s.score));
  }
  return out;
}
