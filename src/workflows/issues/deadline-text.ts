import { deadlineDay } from '../../domain/issues/supervision.js';
import { monthDay } from '../../domain/time/format.js';

/** The deadline as the day it stands for (`12月4日`): a deadline is the end of its last day. */
export function deadlineText(deadline: Date, timeZone: string): string {
  return monthDay(deadlineDay(deadline, timeZone));
}
