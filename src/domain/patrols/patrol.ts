import { monthDay } from '../time/format.js';
import { type PeriodKind, periodContaining, periodLabel } from '../time/period.js';
import { toLocal } from '../time/zoned.js';
import type { ChiefRole } from './obligation.js';

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
  /** Entered after the period it counts for (补记), and why; see isLateEntry. */
  late?: boolean;
  lateReason?: string;
}

export interface PatrolInput {
  patrolledAt: Date;
  observations: string;
  problems: string[];
  /** 补记说明: why a patrol is entered after its period. */
  lateReason?: string;
  /** The duty's period (month, quarter, year): a patrol dated outside the current one is a 补记. */
  dutyPeriod?: PeriodKind;
}

/**
 * A 补记: the patrol is dated in an earlier period of its duty than the one it is entered in
 * (a patrol of 15 January entered in December counts for January, though nobody knew in
 * January). Known from the two instants, so it is decided the same way wherever it is asked.
 */
export function isLateEntry(patrolledAt: Date, enteredAt: Date, kind: PeriodKind, timeZone: string): boolean {
  return periodContaining(kind, patrolledAt, timeZone).key !== periodContaining(kind, enteredAt, timeZone).key;
}

/** One field a person must fix, named as the form names it. */
export interface FieldError {
  field: 'patrolledAt' | 'observations' | 'problems' | 'waterBody' | 'chief' | 'lateReason';
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
  const laterDay =
    day.year > today.year ||
    (day.year === today.year && (day.month > today.month || (day.month === today.month && day.day > today.day)));
  if (laterDay) errors.push({ field: 'patrolledAt', message: '巡河日期不能晚于今天' });
  else if (periodContaining('year', input.patrolledAt, timeZone).year < today.year) {
    errors.push({ field: 'patrolledAt', message: `${day.year}年度已结束，不能再补记该年的巡河` });
  }
  if (
    errors.length === 0 &&
    input.dutyPeriod &&
    isLateEntry(input.patrolledAt, now, input.dutyPeriod, timeZone) &&
    !input.lateReason?.trim()
  ) {
    const current = periodLabel(periodContaining(input.dutyPeriod, now, timeZone), false);
    errors.push({
      field: 'lateReason',
      message: `巡河日期${monthDay(day)}不在本期（${current}）内，属于补记，请填写补记说明`,
    });
  }
  if ((input.lateReason?.length ?? 0) > 200) errors.push({ field: 'lateReason', message: '补记说明不超过 200 字' });
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
  return {
    month: periodContaining('month', at, timeZone).key,
    quarter: periodContaining('quarter', at, timeZone).key,
    year: periodContaining('year', at, timeZone).key,
  };
}
