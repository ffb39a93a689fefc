import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodContaining } from '../../src/domain/time/period.js';
import { ForbiddenError, StaleError } from '../../src/errors.js';
import { patrolCards } from '../../src/feishu/cards/patrol-cards.js';
import { dutyOfCard, periodOfCard } from '../../src/workflows/patrols/card-refs.js';
import { liaisonActor, liaisonView } from '../../src/workflows/patrols/liaison.js';
import { dutyActor } from '../../src/workflows/patrols/patrol-rights.js';
import { reminderRecipient } from '../../src/workflows/patrols/recipients.js';
import { sweepPatrols } from '../../src/workflows/patrols/reminder-sweep.js';
import { recordedPatrol, reminderView } from '../../src/workflows/patrols/reminder-view.js';
import { openWorkflowWorld, type WorkflowWorld } from '../helpers/workflow-world.js';

/**
 * What a patrol reminder card says, whom it goes to and who may act on it: pure functions of
 * the directory and a moment, so the card reads the same whether a tap or the daily sweep drew
 * it. The sweep itself runs here on the stores and a recording messenger, as its job calls it.
 */

let world: WorkflowWorld;
const DADU = 'riverChief:li-hezhang:dadu-jinkouhe';

beforeAll(async () => {
  world = await openWorkflowWorld('2026-11-24T10:00:00+08:00');
});
afterAll(() => world?.close());

const at = () => ({ now: world.clock.now(), timeZone: world.timeZone });
const november = () => periodContaining('month', world.clock.now(), world.timeZone);

describe('the patrol reminder card as plain data', () => {
  it('names the chief, the water body, the deadline and the days left, and @-mentions the chief in the group', () => {
    const duty = dutyOfCard(world.directory, DADU);
    const target = reminderRecipient(world.directory, duty);
    // The example district reminds in the water body's group.
    expect(target).toEqual({ to: { chatId: 'oc_example_dadu' }, mention: world.openId('li-hezhang') });

    const view = reminderView(world.directory, duty, november(), at(), {
      year: { done: 3, target: 12 },
      plannedDay: { year: 2026, month: 11, day: 28 },
      mentionOpenId: target?.mention,
      notes: { keyProblems: ['岸线垃圾'], focus: [] },
    });
    expect(view).toMatchObject({
      chiefName: '李某某',
      mentionOpenId: world.openId('li-hezhang'),
      waterBodyName: '大渡河（金口河段）',
      deadline: '11月30日',
      // 24–30 November, today and the last day included.
      daysLeft: 7,
      yearDone: 3,
      yearTarget: 12,
      dutyKey: DADU,
      periodKey: november().key,
      plannedDay: '11月28日',
      keyProblems: ['岸线垃圾'],
    });
    // The presenter takes it as it is.
    expect(() => patrolCards.reminder(view)).not.toThrow();
  });

  it('tells a 补记 by when it happened and when it was entered, and whether it was on the chief’s behalf', () => {
    const duty = dutyOfCard(world.directory, DADU);
    const recorded = recordedPatrol(
      world.directory,
      duty,
      {
        id: 'p1',
        chiefId: 'li-hezhang',
        waterBodyId: 'dadu-jinkouhe',
        patrolledAt: new Date('2026-10-30T12:00:00+08:00'),
        enteredAt: new Date('2026-11-03T09:00:00+08:00'),
        late: true,
        recordedBy: 'sun-shuiwu',
        version: 2,
      },
      world.timeZone,
    );
    expect(recorded).toEqual({
      dateLabel: '10月30日巡河，11月3日补记',
      recordedByName: '孙某某',
      onBehalf: true,
      patrolId: 'p1',
      version: 2,
    });
  });

  it('asks the water body’s liaison unit, and lets only it or the River Chief Office report', () => {
    const duty = dutyOfCard(world.directory, DADU);
    expect(liaisonView(world.directory, duty, november(), undefined)).toEqual({
      unitName: '区水务局',
      chiefName: '李某某',
      waterBodyName: '大渡河（金口河段）',
      waterBodyId: 'dadu-jinkouhe',
      periodKey: november().key,
      deadline: '11月30日',
      submitted: undefined,
    });
    expect(liaisonActor(world.directory, world.openId('sun-shuiwu'), 'dadu-jinkouhe').actor.name).toBe('孙某某');
    expect(liaisonActor(world.directory, world.openId('qian-hezhangban'), 'dadu-jinkouhe').actor.name).toBe('钱某某');
    // The ecology bureau is 野牛河's liaison unit, not 大渡河's.
    expect(() => liaisonActor(world.directory, world.openId('zhou-shengtai'), 'dadu-jinkouhe')).toThrow(ForbiddenError);
  });

  it('refuses a card whose duty or period is gone as stale, and someone who may not record the patrol', () => {
    expect(() => dutyOfCard(world.directory, 'riverChief:someone-else:dadu-jinkouhe')).toThrow(StaleError);
    expect(() => periodOfCard('not-a-period', world.timeZone)).toThrow(StaleError);
    expect(dutyActor(world.directory, world.openId('li-hezhang'), DADU)).toMatchObject({ onBehalf: false });
    expect(() => dutyActor(world.directory, world.openId('wang-hezhang'), DADU)).toThrow(ForbiddenError);
  });
});

describe('the daily sweep on its own', () => {
  it('sends each due reminder once to where the directory says, however often it runs', async () => {
    const deps = {
      directory: world.stores.directory,
      patrols: world.stores.patrols,
      messenger: world.messenger,
      cards: patrolCards,
      timeZone: world.timeZone,
      logger: world.logger,
    };
    const first = await sweepPatrols(deps, world.clock.now());
    const sent = world.messenger.messages.length;
    expect(first.reminders).toBeGreaterThan(0);
    const dadu = world.messenger.messages.filter((m) => m.key.includes(DADU));
    expect(dadu.length).toBeGreaterThan(0);
    expect(dadu.every((m) => 'chatId' in m.to && m.to.chatId === 'oc_example_dadu')).toBe(true);

    await sweepPatrols(deps, world.clock.now());
    expect(world.messenger.messages).toHaveLength(sent);
  });
});
