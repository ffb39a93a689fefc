import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCHEME } from '../../src/domain/assessment/scheme.js';
import { ManualClock } from '../../src/domain/clock.js';
import { messageReceived } from '../../src/feishu/fake/event-builders.js';
import { parseSchemeYaml } from '../../src/workflows/assessment/scheme-yaml.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** The scoring scheme: the documented example, its checks, and setting it by sending the file in Feishu. */

const EXAMPLE = readFileSync(new URL('../../examples/assessment-scheme.yaml', import.meta.url), 'utf8');
const clock = new ManualClock('2026-12-01T10:00:00+08:00');
const t = useTestBot({ clock });

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

async function send(who: string, fileName: string, body: string) {
  clock.advance(1_000);
  const fileKey = t.fake.addFile(fileName, Buffer.from(body, 'utf8'));
  const before = t.fake.messages().length;
  await t.post(
    messageReceived({
      senderOpenId: exampleOpenId(who),
      chatId: `oc_p2p_${who}`,
      chatType: 'p2p',
      messageType: 'file',
      content: { file_key: fileKey, file_name: fileName },
      token: TEST_APP.verificationToken,
    }),
    { clock },
  );
  await t.settle();
  return textOf(t.fake.messages().slice(before)[0]);
}

describe('the scoring scheme', () => {
  it('documented example is the default the bot uses without one', () => {
    const parsed = parseSchemeYaml(EXAMPLE);
    expect(parsed.ok && { ...parsed.scheme, name: DEFAULT_SCHEME.name }).toEqual(DEFAULT_SCHEME);
    expect(parsed.ok && parsed.year).toBe(2026);
  });

  it('is refused with every problem named, in Chinese', () => {
    const wrong = EXAMPLE.replace('weight: 30, measure: patrolFulfilment', 'weight: -1, measure: patrols').replace(
      'cap: 30',
      'cap: 三十',
    );
    const parsed = parseSchemeYaml(wrong);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toEqual([
      'items.0.weight：分值（weight）应大于 0',
      'items.0.measure：计分方法（measure）应为 patrolFulfilment、issuesClosedOnTime、inspectionFindingsRectified、decisionsCompletedOnTime 之一',
      'deductions.cap：扣分上限（cap）应为数字',
    ]);
  });

  it('is set by the office sending the file to the bot; others are refused, and a wrong file changes nothing', async () => {
    expect(await send('wu', '考核细则.yaml', EXAMPLE)).toBe('只有区河长制办公室人员可以设置考核细则。');
    const refused = await send('qian', '考核细则.yaml', EXAMPLE.replace('prompt: 2', 'prompt: 两分'));
    expect(refused).toContain('考核细则未导入，请修改后重新发送：\ndeductions.prompt：提示扣分（prompt）应为数字');
    expect(await t.bot.models.assessmentSchemes.countDocuments()).toBe(0);
    const answer = await send('qian', '考核细则.yaml', EXAMPLE.replace('prompt: 2', 'prompt: 3'));
    expect(answer).toContain('已导入考核细则“金口河区河湖长制工作年度考核细则”，适用于2026年度');
    expect(answer).toContain('提示扣 3 分');
    const stored = await t.bot.models.assessmentSchemes.findOne({ _id: '2026' }).lean();
    expect((stored?.scheme as typeof DEFAULT_SCHEME).deductions.prompt).toBe(3);
  });
});
