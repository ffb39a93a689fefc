import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * The 来源 of a problem registered by form says what the rules make of it (issue 15): a liaison
 * unit's clue comes from the 明查暗访 it does for the water body it serves (art. 6), a chief's
 * finding from a patrol of their own water body; the same people registering elsewhere found it
 * in the course of work (日常发现). 区水务局 (孙) serves 大渡河, 区生态环境局 (周) serves 野牛河;
 * 王 is 野牛河's district chief, 吴 a township chief of 大渡河.
 */

const clock = new ManualClock('2026-12-01T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

async function register(who: string, water: string, description: string): Promise<string> {
  const [form] = await say(who, { text: '/登记' });
  const answer = await tap(
    who,
    { a: 'issue.create' },
    { water, place: '', description, category: '河岸', urgency: 'normal' },
    form!.messageId,
  );
  expect(answer.toast?.type).toBe('success');
  const stored = await t.bot.models.issues.findOne({ description }).lean();
  // The card as it went to the River Chief Office.
  const copy = t.fake
    .messages()
    .find((m) => m.chatId === 'oc_example_hezhangban' && text(m.content).includes(description));
  expect(text(copy?.content)).toContain(`**来源**：`);
  return `${stored?.source.kind} ${/\*\*来源\*\*：([^（]+)/.exec(text(copy?.content))?.[1]}`;
}

describe('the source of a registered problem', () => {
  it('is a 明查暗访线索 only on the water body the liaison unit serves', async () => {
    expect(await register('sun', 'dadu-jinkouhe', '大渡河滨河路段河岸堆放建筑垃圾')).toBe('clue 明查暗访线索');
    expect(await register('sun', 'yeniu', '野牛河铜河村段有人倾倒生活垃圾')).toBe('daily 日常发现');
    expect(await register('zhou', 'dadu-jinkouhe', '大渡河共安段岸坡有排污口')).toBe('daily 日常发现');
  });

  it('is a 巡河发现 only from a chief of that water body', async () => {
    expect(await register('wu', 'dadu-jinkouhe', '大渡河永和段河面漂浮物')).toBe('patrol 巡河发现');
    expect(await register('wang', 'dadu-jinkouhe', '大渡河新民村段河岸堆放砂石')).toBe('daily 日常发现');
    expect(await register('qian', 'yeniu', '野牛河公示牌损坏')).toBe('office 河长办登记');
  });
});
