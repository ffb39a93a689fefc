/**
 * The yearly assessment's scoring scheme (考核细则, seed art. 16, 21): weighted items, each
 * measured from the year's records, then deductions for 提示/通报/约谈 and a bonus for
 * 通报表扬, each capped. The office keeps it as YAML (examples/assessment-scheme.yaml).
 */

export const MEASURES = [
  'patrolFulfilment',
  'issuesClosedOnTime',
  'inspectionFindingsRectified',
  'decisionsCompletedOnTime',
] as const;
export type Measure = (typeof MEASURES)[number];

/** What each measure counts, as the card and the workbook explain it. */
export const MEASURE_NAMES: Record<Measure, string> = {
  patrolFulfilment: '乡级河湖长巡河履职率（履职的月份 / 应履职的月份）',
  issuesClosedOnTime: '问题按期整改率（按期销号 / 到期的巡河、明查暗访和河长办登记问题）',
  inspectionFindingsRectified: '督查问题整改率（已整改销号 / 到期的督查发现问题）',
  decisionsCompletedOnTime: '议定事项按期完成率（按期销号 / 到期的议定事项和清单任务）',
};

export type LateEntries = 'count' | 'ignore';

export interface SchemeItem {
  id: string;
  name: string;
  weight: number;
  measure: Measure;
}

export interface AssessmentScheme {
  name: string;
  items: SchemeItem[];
  /** Points taken off per record, and the most that may be taken off in all. */
  deductions: { prompt: number; bulletin: number; admonition: number; cap: number };
  /** Points added per 通报表扬, and the most that may be added. */
  bonus: { praiseBulletin: number; cap: number };
  /**
   * Patrol duties are counted from this day (`2026-03-01`), e.g. when the bot went into use in
   * the middle of a year: months before it have no records to judge by.
   */
  countFrom?: string;
  /**
   * Whether a patrol entered after the period it counts for (补记) counts for that period:
   * `count` (the default) or `ignore`, when the district wants only timely records to count.
   */
  lateEntries: LateEntries;
  /** How many of the top-ranked townships and departments the incentive plan names (art. 19). */
  incentives: { townships: number; departments: number };
}

export const DEFAULT_SCHEME: AssessmentScheme = {
  name: '河湖长制工作年度考核',
  items: [
    { id: 'patrols', name: '河湖长巡河履职', weight: 30, measure: 'patrolFulfilment' },
    { id: 'issues', name: '问题按期整改', weight: 30, measure: 'issuesClosedOnTime' },
    { id: 'inspections', name: '督查问题整改', weight: 20, measure: 'inspectionFindingsRectified' },
    { id: 'decisions', name: '议定事项按期完成', weight: 20, measure: 'decisionsCompletedOnTime' },
  ],
  deductions: { prompt: 2, bulletin: 5, admonition: 10, cap: 30 },
  bonus: { praiseBulletin: 2, cap: 5 },
  lateEntries: 'count',
  incentives: { townships: 3, departments: 2 },
};

/**
 * The year `/考核`, `/表彰` and `/激励` mean when none is named: last year in January–March,
 * when the assessment of the year just ended is done, and this year after.
 */
export function defaultAssessedYear(today: { year: number; month: number }): number {
  return today.month <= 3 ? today.year - 1 : today.year;
}

/** The full marks of a scheme: the sum of its items' weights. */
export const fullMarks = (scheme: AssessmentScheme): number => scheme.items.reduce((sum, i) => sum + i.weight, 0);
