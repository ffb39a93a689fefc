import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { cardAction } from '../../src/feishu/fake/event-builders.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { readAnswer } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** Whoever recorded a patrol may correct or withdraw it; history is kept; nobody else may. */

const clock = new ManualClock('2026-11-24T09:05:00+08:00');
const t = useTestBot({ clock });
const duty = { d: 'riverChief:li-hezhang:dadu-jinkouhe', p: '2026-11' };
const text = (x: unknown) => JSON.stringify(x);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

async function tap(who: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) {
  const before = t.fake.messages().length;
  const res = await t.post(
    cardAction({
      operatorOpenId: exampleOpenId(who),
      value,
      formValue,
      messageId: 'om_card',
      chatId: 'oc_example_dadu',
      verificationToken: TEST_APP.verificationToken,
    }),
    { path: '/webhook/card', clock },
  );
  await t.settle();
  return readAnswer(
    res.json,
    t.fake
      .messages()
      .slice(before)
      .filter((m) => m.receiveId === exampleOpenId(who)),
  );
}

// Sequential: one patrol recorded, corrected, then withdrawn: the later tests act on the patrol the first recorded.
describe.sequential('correcting and withdrawing a patrol', () => {
  let patrolId = '';

  it('records, then lets the recorder correct it with the form filled in', async () => {
    const done = await tap(
      'sun',
      { a: 'patrol.submit', ...duty },
      { date: '2026-11-23 +0800', observations: '河面整洁', problems: '' },
    );
    expect(done.toast?.content).toBe('巡河已记录');
    const recorded = (await t.bot.models.patrols.findOne().lean())!;
    patrolId = recorded.key;
    // The duty and the periods are kept on the patrol, for counting on the database.
    expect(recorded).toMatchObject({
      role: 'riverChief',
      periods: { month: '2026-11', quarter: '2026-Q4', year: '2026' },
    });
    expect(text(done.card)).toContain(`"a":"patrol.edit","d":"${duty.d}","p":"2026-11","id":"${patrolId}","v":1`);

    const form = await tap('sun', { a: 'patrol.edit', ...duty, id: patrolId, v: 1 });
    expect(text(form.form)).toContain('更正巡河记录');
    expect(text(form.form)).toContain('"default_value":"河面整洁"');
    expect(text(form.form)).toContain('"initial_date":"2026-11-23"');

    const corrected = await tap(
      'sun',
      { a: 'patrol.correct', ...duty, id: patrolId, v: 1 },
      { date: '2026-11-22 +0800', observations: '河面整洁；岸边有少量垃圾', problems: '滨河路段岸边垃圾' },
    );
    expect(corrected.toast?.content).toBe('巡河记录已更正');
    expect(text(corrected.card)).toContain('11月22日');
    const patrol = await t.bot.models.patrols.findOne({ key: patrolId }).lean();
    expect(patrol).toMatchObject({
      version: 2,
      observations: '河面整洁；岸边有少量垃圾',
      problems: ['滨河路段岸边垃圾'],
      recordedBy: 'sun-shuiwu',
      periods: { month: '2026-11' },
    });
    expect(patrol?.history.map((h) => [h.action, h.by])).toEqual([
      ['recorded', 'sun-shuiwu'],
      ['corrected', 'sun-shuiwu'],
    ]);
  });

  it('refuses the chief, who did not record it, and a stale card', async () => {
    const byChief = await tap('li', { a: 'patrol.withdraw', ...duty, id: patrolId, v: 2 });
    expect(byChief).toEqual({ toast: { type: 'error', content: '只有记录人本人可以更正或撤回这条巡河记录。' } });
    const stale = await tap('sun', { a: 'patrol.withdraw', ...duty, id: patrolId, v: 1 });
    expect(stale.toast).toEqual({ type: 'warning', content: '该巡河记录已被更正或撤回，卡片已刷新。' });
    expect(stale.card).toBeDefined();
    expect((await t.bot.models.patrols.findOne({ key: patrolId }).lean())?.status).toBe('recorded');
  });

  it('withdraws: the record stays with its history, the duty counts as open again', async () => {
    const withdrawn = await tap('sun', { a: 'patrol.withdraw', ...duty, id: patrolId, v: 2 });
    expect(withdrawn.toast?.content).toBe('巡河记录已撤回');
    expect(text(withdrawn.card)).toContain('本月尚未巡河');
    const patrol = await t.bot.models.patrols.findOne({ key: patrolId }).lean();
    expect(patrol?.status).toBe('withdrawn');
    expect(patrol?.history.map((h) => h.action)).toEqual(['recorded', 'corrected', 'withdrawn']);

    clock.set('2026-11-27T09:05:00+08:00');
    await t.bot.patrols.sweep(clock.now());
    await t.settle();
    expect(t.fake.messages().some((m) => m.chatId === 'oc_example_dadu' && text(m.content).includes('剩4天'))).toBe(
      true,
    );
  });
});
