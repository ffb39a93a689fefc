import { describe, expect, it } from 'vitest';
import type { ChiefDuty } from '../../src/domain/directory/directory.js';
import { type DutyState, decideReminders } from '../../src/domain/patrols/decide-reminders.js';
import { reminderKey } from '../../src/domain/patrols/duty-key.js';
import { SEED_OBLIGATIONS } from '../../src/domain/patrols/obligation.js';
import { checkPatrolInput } from '../../src/domain/patrols/patrol.js';
import { DEFAULT_REMINDER_POLICIES } from '../../src/domain/patrols/reminder-plan.js';
import { mayRecordPatrol } from '../../src/domain/patrols/who-may-record.js';
import { WorkCalendar } from '../../src/domain/time/work-calendar.js';

const TZ = 'Asia/Shanghai';
const li: ChiefDuty = {
  personId: 'li',
  role: 'riverChief',
  waterBodyId: 'dadu',
  obligation: SEED_OBLIGATIONS.riverChief,
};
const wang: ChiefDuty = {
  personId: 'wang',
  role: 'riverChief',
  waterBodyId: 'yeniu',
  obligation: SEED_OBLIGATIONS.riverChief,
};
const zhang: ChiefDuty = { personId: 'zhang', role: 'generalChief', obligation: SEED_OBLIGATIONS.generalChief };

function decide(states: DutyState[], now: string, calendar = new WorkCalendar()) {
  return decideReminders(states, {
    now: new Date(now),
    timeZone: TZ,
    calendar,
    policies: DEFAULT_REMINDER_POLICIES,
  }).map((d) => ({
    who: d.duty.personId,
    key: reminderKey(d.duty, d.period.key, d.stage.stage),
    daysLeft: d.daysLeft,
    year: `${d.yearDone}/${d.yearTarget}`,
  }));
}

describe('deciding the day’s reminders', () => {
  const earlier = [new Date('2026-10-12T10:00:00+08:00'), new Date('2026-03-02T10:00:00+08:00')];

  it('reminds each chief who has not patrolled this month, from 09:00 on the stage day', () => {
    const states = [
      { duty: li, patrolTimes: earlier },
      { duty: wang, patrolTimes: [] },
    ];
    expect(decide(states, '2026-11-24T08:59:00+08:00')).toEqual([]);
    expect(decide(states, '2026-11-24T09:00:00+08:00')).toEqual([
      { who: 'li', key: 'patrol-reminder:riverChief:li:dadu:2026-11:d7', daysLeft: 7, year: '2/12' },
      { who: 'wang', key: 'patrol-reminder:riverChief:wang:yeniu:2026-11:d7', daysLeft: 7, year: '0/12' },
    ]);
  });

  it('stays quiet for a chief who has patrolled this period', () => {
    const patrolled = [new Date('2026-11-03T10:00:00+08:00')];
    expect(decide([{ duty: li, patrolTimes: patrolled }], '2026-11-27T10:00:00+08:00')).toEqual([]);
  });

  it('sends the latest stage only, and not on weekends or holidays', () => {
    const states = [{ duty: li, patrolTimes: [] }];
    // Friday 27 November is the d2 stage (29th is a Sunday); on Saturday nothing goes out.
    expect(decide(states, '2026-11-27T10:00:00+08:00').map((d) => d.key)).toEqual([
      'patrol-reminder:riverChief:li:dadu:2026-11:d2',
    ]);
    expect(decide(states, '2026-11-28T10:00:00+08:00')).toEqual([]);
    const holiday = new WorkCalendar({ holidays: ['2026-11-30'] });
    expect(decide(states, '2026-11-30T10:00:00+08:00', holiday)).toEqual([]);
    expect(decide(states, '2026-11-30T10:00:00+08:00').map((d) => d.daysLeft)).toEqual([1]);
  });

  it('keeps quiet until the day a chief has planned (已安排)', () => {
    const states = [{ duty: li, patrolTimes: [], plannedDay: { year: 2026, month: 11, day: 27 } }];
    expect(decide(states, '2026-11-26T10:00:00+08:00')).toEqual([]);
    expect(decide(states, '2026-11-27T10:00:00+08:00')).toEqual([]);
    expect(decide(states, '2026-11-30T10:00:00+08:00')).toHaveLength(1);
  });

  it('reminds the general chief by quarter', () => {
    const states = [{ duty: zhang, patrolTimes: [new Date('2026-08-01T10:00:00+08:00')] }];
    expect(decide(states, '2026-12-11T10:00:00+08:00').map((d) => [d.key, d.daysLeft, d.year])).toEqual([
      ['patrol-reminder:generalChief:zhang:2026-Q4:d20', 21, '1/4'],
    ]);
  });
});

describe('patrol input and who may record', () => {
  const now = new Date('2026-11-29T10:00:00+08:00');
  it('refuses a date in the future or in a closed year, and an empty description', () => {
    expect(
      checkPatrolInput({ patrolledAt: new Date('2026-11-30T08:00:00+08:00'), observations: '', problems: [] }, now, TZ),
    ).toEqual([
      { field: 'patrolledAt', message: '巡河日期不能晚于今天' },
      { field: 'observations', message: '请填写巡河情况' },
    ]);
    expect(
      checkPatrolInput(
        { patrolledAt: new Date('2025-12-31T20:00:00+08:00'), observations: '河面整洁', problems: [] },
        now,
        TZ,
      ),
    ).toEqual([{ field: 'patrolledAt', message: '2025年度已结束，不能再补记该年的巡河' }]);
    expect(
      checkPatrolInput(
        { patrolledAt: new Date('2026-11-29T23:00:00+08:00'), observations: '河面整洁', problems: [] },
        now,
        TZ,
      ),
    ).toEqual([]);
  });

  it('lets the chief and the liaison unit record, nobody else', () => {
    const directory = {
      generalChief: 'zhang',
      units: [
        { id: 'water', name: '区水务局', kind: 'liaisonUnit' as const, members: ['sun'] },
        { id: 'gco', name: '区总河长办公室', kind: 'generalChiefOffice' as const, members: ['zhao'] },
      ],
      waterBodies: [
        {
          id: 'dadu',
          name: '大渡河',
          kind: 'river' as const,
          districtChief: 'li',
          liaisonUnit: 'water',
          townships: [],
          townshipChiefs: {},
          villageChiefs: {},
          crossBoundary: false,
          neighbours: [],
        },
      ],
    };
    expect(mayRecordPatrol(directory, 'li', { chiefId: 'li', waterBodyId: 'dadu' })).toEqual({
      may: true,
      onBehalf: false,
    });
    expect(mayRecordPatrol(directory, 'sun', { chiefId: 'li', waterBodyId: 'dadu' })).toEqual({
      may: true,
      onBehalf: true,
    });
    expect(mayRecordPatrol(directory, 'zhao', { chiefId: 'zhang' })).toEqual({ may: true, onBehalf: true });
    expect(mayRecordPatrol(directory, 'zhao', { chiefId: 'li', waterBodyId: 'dadu' }).may).toBe(false);
    expect(mayRecordPatrol(directory, 'sun', { chiefId: 'zhang' }).may).toBe(false);
  });
});
