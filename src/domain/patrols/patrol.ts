import { periodContaining } from '../time/period.js';
import type { ChiefRole } from './obligation.js';
import { toLocal } from '../time/zoned.js';

/**
 * A patrol (巡河) as recorded: for whom (the chief), by whom (the chief, or a liaison unit
 * member recording on the chief's behalf, art. 6), when, what was seen, problems found.
 */
export interface PatrolRecord {
  id: string;
  /** The duty it was recorded against (区级总河长, 区级河湖长 …): overviews count by it. */
  role?: ChiefRole;
  /** The chief whose duty this patrol fulfils (person id). */
  chiefId: string;
  /** Absent for the general chief's district-wide patrols. */
  waterBodyId?: string;
  /** Who entered it (person id); equals chiefId unless recorded on the chief's behalf. */
  recordedBy: string;
  patrolledAt: Date;
  observations: string;
  /** Problems found, one per entry; handed to the problems feature (问题) when it exists. */
  problems: string[];
  photoKeys: string[];
  status: 'recorded' | 'withdrawn';
  version: number;
}

export interface PatrolInput {
  patrolledAt: Date;
  observations: string;
  problems: string[];
}

/** One field a person must fix, named as the form names it. */
export interface FieldError {
  field: 'patrolledAt' | 'observations' | 'problems' | 'waterBody' | 'chief';
  message: string;
}

/**
 * Checks what a person entered: no date in the future, none in a year already closed (the
 * year's duty count is settled once the year ends), something written about what was seen.
 */
export function checkPatrolInput(input: PatrolInput, now: Date, timeZone: string): FieldError[] {
  const errors: FieldError[] = [];
  const today = toLocal(now, timeZone);
  const day = toLocal(input.patrolledAt, timeZone);
  const laterDay = day.year > today.year || (day.year === today.year && (day.month > today.month || (day.month === today.month && day.day > today.day)));
  if (laterDay) errors.push({ field: 'patrolledAt', message: '巡河日期不能晚于今天' });
  else if (periodContaining('year', input.patrolledAt, timeZone).year < today.year) {
    errors.push({ field: 'patrolledAt', message: `${day.year}年度已结束，不能再补记该年的巡河` });
  }
  if (input.observations.trim().length === 0) errors.push({ field: 'observations', message: '请填写巡河情况' });
  if (input.observations.length > 1000) errors.push({ field: 'observations', message: '巡河情况不超过 1000 字' });
  if (input.problems.length > 20) errors.push({ field: 'problems', message: '一次最多填写 20 个问题' });
  return errors;
}

/** The month, quarter and year a patrol falls in, in the district's zone (`2026-11`, `2026-Q4`, `2026`). */
export interface PatrolPeriods {
  month: string;
  quarter: string;
  year: string;
}

/** Kept on each patrol so the database can count fulfilment per period without date arithmetic. */
export function patrolPeriods(at: Date, timeZone: string): PatrolPeriods {
  return { month: periodContaining('month', at, timeZone).key, quarter: periodContaining('quarter', at, timeZone).key, year: periodContaining('year', at, timeZone).key };
}
