import { describe, expect, it } from 'vitest';
import { fromLocal, toLocal } from '../../src/domain/time/zoned.js';
import { seededRandom } from '../helpers/seeded-random.js';

/** What Intl itself says the wall clock shows: the reference the cached offsets must match. */
function intlLocal(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: value('year'),
    month: value('month'),
    day: value('day'),
    hour: value('hour'),
    minute: value('minute'),
    second: value('second'),
  };
}

// Shanghai (the district's), zones with daylight saving on whole and half hours, and one a
// quarter hour off UTC.
const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];

describe('wall-clock time in a zone', () => {
  it('is what Intl says for any instant, daylight-saving changes included', () => {
    const random = seededRandom(20261202);
    const from = Date.UTC(1990, 0, 1);
    const to = Date.UTC(2040, 0, 1);
    for (const zone of ZONES) {
      for (let i = 0; i < 2_000; i++) {
        const instant = new Date(from + Math.floor(random() * (to - from)));
        expect(toLocal(instant, zone)).toEqual(intlLocal(instant, zone));
      }
      // Each side of the changes of 2026 in New York and London, to the second.
      for (const at of [
        '2026-03-08T06:59:59Z',
        '2026-03-08T07:00:00Z',
        '2026-03-29T00:59:59Z',
        '2026-03-29T01:00:00Z',
      ]) {
        expect(toLocal(new Date(at), zone)).toEqual(intlLocal(new Date(at), zone));
      }
    }
  });

  it('turns a Shanghai wall-clock time back into its instant', () => {
    expect(fromLocal({ year: 2026, month: 4, day: 1, hour: 0, minute: 30 }, 'Asia/Shanghai').toISOString()).toBe(
      '2026-03-31T16:30:00.000Z',
    );
  });
});
