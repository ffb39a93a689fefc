/**
 * Time and peak memory to decide the day's patrol reminders for 10,000 and 100,000 chiefs,
 * each with a realistic year of patrols (most monthly chiefs patrol about once a month,
 * some lag behind). Prints one line per size; growth should be no worse than linear.
 *
 *   npm run bench:reminders
 */
import { type DutyState, decideReminders } from '../src/domain/patrols/decide-reminders.js';
import { SEED_OBLIGATIONS } from '../src/domain/patrols/obligation.js';
import { DEFAULT_REMINDER_POLICIES } from '../src/domain/patrols/reminder-plan.js';
import { WorkCalendar } from '../src/domain/time/work-calendar.js';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-11-27T09:30:00+08:00'); // a reminder day: d2 of November

/** A deterministic pseudo-random stream, so every run measures the same data. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function makeStates(chiefs: number): DutyState[] {
  const rnd = random(chiefs);
  const states: DutyState[] = [];
  for (let i = 0; i < chiefs; i++) {
    const quarterly = i % 50 === 0;
    const patrolTimes: Date[] = [];
    const diligence = rnd();
    for (let month = 0; month < 11; month++) {
      if (rnd() < 0.6 + diligence * 0.4) {
        patrolTimes.push(new Date(Date.UTC(2026, month, 1 + Math.floor(rnd() * 27), 2 + Math.floor(rnd() * 8))));
      }
    }
    states.push({
      duty: quarterly
        ? { personId: `p${i}`, role: 'generalChief', obligation: SEED_OBLIGATIONS.generalChief }
        : { personId: `p${i}`, role: 'riverChief', waterBodyId: `w${i}`, obligation: SEED_OBLIGATIONS.riverChief },
      patrolTimes,
      plannedDay: rnd() < 0.05 ? { year: 2026, month: 11, day: 30 } : undefined,
    });
  }
  return states;
}

function measure(chiefs: number): void {
  const states = makeStates(chiefs);
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 1);
  const runs: number[] = [];
  let decided = 0;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    decided = decideReminders(states, {
      now: NOW,
      timeZone: TZ,
      calendar: new WorkCalendar(),
      policies: DEFAULT_REMINDER_POLICIES,
    }).length;
    runs.push(performance.now() - start);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  clearInterval(sampler);
  runs.sort((a, b) => a - b);
  const rss = process.memoryUsage().rss;
  console.log(
    `${String(chiefs).padStart(7)} chiefs: median ${runs[2]?.toFixed(1)} ms (min ${runs[0]?.toFixed(1)}, max ${runs[4]?.toFixed(1)}), ` +
      `${decided} reminders due, heap for the decision ${((peak - heapBefore) / 2 ** 20).toFixed(1)} MiB, process RSS ${(rss / 2 ** 20).toFixed(0)} MiB`,
  );
}

console.log('Deciding the day’s patrol reminders (in memory; loading the records is measured with the store).');
measure(10_000);
measure(100_000);
