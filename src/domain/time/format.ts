import { type LocalDate, type LocalDateTime, toLocal } from './zoned.js';

/**
 * Days and times as people read them in cards, replies and documents. The one place these
 * words are written, so a card and the .docx of the same record say the same thing. Pure.
 */

/** `12月4日`: a day of this year, as cards and replies name it. */
export function monthDay(day: Pick<LocalDate, 'month' | 'day'>): string {
  return `${day.month}月${day.day}日`;
}

/** `2026年12月4日`: a day in full, as documents and notices name it. */
export function fullDay(day: LocalDate): string {
  return `${day.year}年${monthDay(day)}`;
}

/** The local day of an instant, as monthDay writes it. */
export function shortDate(at: Date, timeZone: string): string {
  return monthDay(toLocal(at, timeZone));
}

/** The local day of an instant, as fullDay writes it. */
export function fullDate(at: Date, timeZone: string): string {
  return fullDay(toLocal(at, timeZone));
}

/** `2026年12月3日上午9时30分`: when a meeting starts, as its notice says it. */
export function meetingTime(at: Date, timeZone: string): string {
  const d: LocalDateTime = toLocal(at, timeZone);
  const half = d.hour < 12 ? '上午' : '下午';
  const hour = d.hour > 12 ? d.hour - 12 : d.hour;
  return `${fullDay(d)}${half}${hour}时${d.minute ? `${d.minute}分` : ''}`;
}
