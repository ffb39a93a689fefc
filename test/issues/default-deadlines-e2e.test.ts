import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * The date pickers of 交办 and 申请延期 start on a deadline someone could mean: the working
 * days the directory sets for the problem's urgency (一般 15, 紧急 3 by default), and the
 * current deadline plus the usual extension (10 working days), counted on the work calendar.
 */

// A Friday.
const clock = new ManualClock('2026-12-18T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap } = peopleChat(t, clock);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

const issue = async (seq: number) => (await t.bot.models.issues.findOne({ seq }).lean())!;
const button = async (seq: number, a: string, type: string) => ({
  a,
  id: (await issue(seq)).key,
  v: (await issue(seq)).version,
  t: type,
});
const initialDate = (form: unknown) => /"initial_date":"([^"]+)"/.exec(text(form))?.[1];

async function register(urgency: string): Promise<void> {
  const done = await tap(
    'qian',
    { a: 'issue.create' },
    {
      water: 'dadu-jinkouhe',
      township: 'yonghe',
      place: '滨河路段',
      description: '河岸堆放建筑垃圾',
      category: '河岸',
      urgency,
    },
  );
  expect(done.toast?.content).toBe('问题已登记，已送区河长制办公室交办');
}

// Sequential: the second test assigns and extends the problem the first one registered.
describe.sequential('the deadline a date picker proposes', () => {
  it('is the working days set for the urgency after today, never today', async () => {
    await register('normal');
    await register('urgent');
    const normal = await tap('qian', await button(1, 'issue.form', 'assign'));
    // 15 working days after Friday 18 December, weekends skipped.
    expect(initialDate(normal.form)).toBe('2027-01-08');
    const urgent = await tap('qian', await button(2, 'issue.form', 'assign'));
    expect(initialDate(urgent.form)).toBe('2026-12-23');
  });

  it('is the current deadline plus the usual extension for 延期至', async () => {
    const assigned = await tap('qian', await button(1, 'issue.act', 'assign'), {
      unit: 'yonghe',
      date: '2026-12-31 +0800',
      text: '清运建筑垃圾',
    });
    expect(assigned.toast?.content).toBe('已交办');
    await tap('wu', await button(1, 'issue.act', 'accept'));
    const form = await tap('wu', await button(1, 'issue.form', 'requestExtension'));
    expect(text(form.form)).toContain('延期至');
    // 10 working days after Thursday 31 December.
    expect(initialDate(form.form)).toBe('2027-01-14');
  });
});
