/** Times as the bot sees them: its clock's zone, not the browser's. */

/** `2026-12-25 09:00` in the given zone. */
export function formatTime(iso: string, timeZone: string, withYear = true): string {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  return withYear ? `${get('year')}-${day}` : day;
}

/** The weekday in Chinese (星期五) in the given zone. */
export function weekday(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, weekday: 'long' }).format(new Date(iso));
}

/** The zone's UTC offset at that moment as Feishu's pickers write it: `+0800`. */
export function utcOffset(iso: string, timeZone: string): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+08:00';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  return m ? `${m[1]}${m[2]}${m[3] ?? '00'}` : '+0000';
}

/**
 * An instant for a wall-clock time typed in the bot's zone (`2026-12-25T09:00` from a
 * datetime-local input), found by correcting a first guess with the zone's offset.
 */
export function zonedToIso(local: string, timeZone: string): string {
  const guess = new Date(`${local}:00Z`);
  const offset = utcOffset(guess.toISOString(), timeZone);
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  return new Date(guess.getTime() - minutes * 60_000).toISOString();
}
