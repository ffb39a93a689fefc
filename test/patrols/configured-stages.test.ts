import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { importExampleDistrict } from '../helpers/district.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** Reminder days and hour come from the directory, not from code. */

const clock = new ManualClock('2026-11-24T09:05:00+08:00');
const t = useTestBot({ clock });

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock, (yaml) =>
    yaml.replace('  hour: 9\n  monthDaysBefore: [7, 2]', '  hour: 10\n  monthDaysBefore: [3]'),
  );
});

describe('configured reminder stages', () => {
  it('reminds only on the configured day and from the configured hour', async () => {
    expect((await t.bot.patrols.sweep(clock.now())).reminders).toBe(0); // no d7 stage any more
    clock.set('2026-11-27T09:30:00+08:00'); // 3 days before is Saturday the 28th: Friday instead, but from 10:00
    expect((await t.bot.patrols.sweep(clock.now())).reminders).toBe(0);
    clock.set('2026-11-27T10:00:00+08:00');
    expect((await t.bot.patrols.sweep(clock.now())).reminders).toBe(8);
    await t.settle();
    expect(
      t.fake
        .messages()
        .every((m) => JSON.stringify(m.content).includes('剩4天') || !JSON.stringify(m.content).includes('巡河提醒')),
    ).toBe(true);
  });
});
