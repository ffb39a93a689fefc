import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { cardAction } from '../../src/feishu/fake/event-builders.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { readAnswer } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** Problems a chief writes on the patrol form become problems the office can assign (巡河发现). */

const clock = new ManualClock('2026-11-24T09:05:00+08:00');
const t = useTestBot({ clock });
const duty = { d: 'riverChief:li-hezhang:dadu-jinkouhe', p: '2026-11' };
const text = (x: unknown) => JSON.stringify(x);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

async function tap(value: Record<string, unknown>, formValue?: Record<string, unknown>) {
  clock.advance(1_000);
  const res = await t.post(
    cardAction({
      operatorOpenId: exampleOpenId('li'),
      value,
      formValue,
      messageId: 'om_card',
      chatId: 'oc_example_dadu',
      verificationToken: TEST_APP.verificationToken,
    }),
    {
      path: '/webhook/card',
      clock,
    },
  );
  await t.settle();
  return readAnswer(res.json);
}

describe('problems found on a patrol', () => {
  it('registers each problem line once, with the patrol as its source, and sends it to the office', async () => {
    const done = await tap(
      { a: 'patrol.submit', ...duty },
      { date: '2026-11-23 +0800', observations: '总体良好', problems: '滨河路段岸边建筑垃圾\n新民村段有疑似排污口' },
    );
    expect(done.toast?.content).toBe('巡河已记录');
    const patrol = (await t.bot.models.patrols.findOne().lean())!;
    const issues = await t.bot.models.issues.find().sort({ seq: 1 }).lean();
    expect(issues.map((i) => [i.number, i.description, i.source.kind, i.source.ref, i.foundBy, i.state])).toEqual([
      ['金口河〔2026〕第0001号', '滨河路段岸边建筑垃圾', 'patrol', patrol.key, 'li-hezhang', 'reported'],
      ['金口河〔2026〕第0002号', '新民村段有疑似排污口', 'patrol', patrol.key, 'li-hezhang', 'reported'],
    ]);
    const office = t.fake
      .messages()
      .filter((m) => m.chatId === 'oc_example_hezhangban' && text(m.content).includes('巡河发现（李某某，11月23日）'));
    expect(office).toHaveLength(2);
    expect(text(office[0]?.content)).toContain('"t":"assign"');

    // A correction that adds a line registers only the new one.
    await tap(
      { a: 'patrol.correct', ...duty, id: patrol.key, v: 1 },
      {
        date: '2026-11-23 +0800',
        observations: '总体良好',
        problems: '滨河路段岸边建筑垃圾\n新民村段有疑似排污口\n河长公示牌字迹模糊',
      },
    );
    expect((await t.bot.models.issues.find().lean()).map((i) => i.description).sort()).toEqual(
      ['新民村段有疑似排污口', '河长公示牌字迹模糊', '滨河路段岸边建筑垃圾'].sort(),
    );
  });
});
