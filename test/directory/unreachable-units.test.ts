import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { messageReceived } from '../../src/feishu/fake/event-builders.js';
import { TEST_APP } from '../helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * Issue 15, item 6: 4 of the example's 11 units (区自然资源局, 区农业农村局, 和平彝族乡, 永胜乡)
 * have no members and no chat. The import flags them, nothing is assigned to them, and the
 * River Chief Office sees them in /逾期 until the directory is fixed. A supervising department
 * nothing reaches is marked as such on the problem card.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);
const UNREACHABLE = ['区自然资源局', '区农业农村局', '和平彝族乡', '永胜乡'];

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

const issue = async () => (await t.bot.models.issues.findOne({ seq: 1 }).lean())!;

describe('units nothing can reach', () => {
  it('are flagged by the import, which still goes through', async () => {
    clock.advance(1_000);
    const yaml = readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url));
    const fileKey = t.fake.addFile('jinkouhe.yaml', yaml);
    const before = t.fake.messages().length;
    await t.post(
      messageReceived({
        senderOpenId: exampleOpenId('qian'),
        chatId: 'oc_p2p_qian',
        chatType: 'p2p',
        messageType: 'file',
        content: { file_key: fileKey, file_name: 'jinkouhe.yaml' },
        token: TEST_APP.verificationToken,
      }),
      { clock },
    );
    await t.settle();
    const card = text(t.fake.messages().slice(before)[0]?.content);
    // The import goes through (the helper's go-live line differs from the file; the people do not).
    expect(card).toContain('组织名录已导入');
    expect(card).toContain('人员：新增 0，变更 0，移除 0');
    expect(card).toContain('以下 4 个单位无法收到任何消息，问题和议定事项不能交办给它们');
    for (const name of UNREACHABLE) expect(card).toContain(`${name}：名录中没有成员，也没有群聊`);
    expect(card).not.toContain('永和镇：');
  });

  it('cannot be assigned a problem: the office is told why, and the problem stays to assign', async () => {
    const [registerForm] = await say('qian', { text: '/登记' });
    await tap(
      'qian',
      { a: 'issue.create' },
      {
        water: 'dadu-jinkouhe',
        township: 'yonghe',
        place: '滨河路段',
        description: '河岸堆放建筑垃圾',
        category: '河岸',
        urgency: 'normal',
      },
      registerForm!.messageId,
    );
    const i = await issue();
    const refused = await tap(
      'qian',
      { a: 'issue.act', id: i.key, v: i.version, t: 'assign' },
      { unit: 'heping', date: '2026-12-04 +0800', text: '清运' },
    );
    expect(refused.toast).toEqual({
      type: 'error',
      content:
        '和平彝族乡名录中没有成员，也没有群聊，交办后无人收到。请区河长制办公室先在组织名录中为其填写成员或群聊 ID 并重新导入，再交办。',
    });
    expect((await issue()).state).toBe('reported');
    const assigned = await tap(
      'qian',
      { a: 'issue.act', id: i.key, v: i.version, t: 'assign' },
      { unit: 'yonghe', department: 'agriculture-bureau', date: '2026-12-04 +0800', text: '清运' },
    );
    expect(assigned.toast?.content).toBe('已交办');
    // A supervising department nothing reaches is named as such on the card, not as if told.
    expect(text(assigned.card)).toContain('**督办单位**：区水务局、区农业农村局（无法送达）');
    expect(text(assigned.card)).toContain('**承办单位**：永和镇');
    expect(text(assigned.card)).not.toContain('永和镇（无法送达）');
  });

  it('are listed in the office’s /逾期 until the directory names someone', async () => {
    const [overdue] = await say('qian', { text: '/逾期' });
    expect(text(overdue?.content)).toContain('名录待补全 · 无法送达');
    for (const name of UNREACHABLE)
      expect(text(overdue?.content)).toContain(`${name}：名录中没有成员，也没有群聊，不能交办`);
    // A chief's /逾期 is not the place for the directory's gaps.
    const [chiefs] = await say('li', { text: '/逾期' });
    expect(text(chiefs?.content)).not.toContain('名录待补全');

    await importExampleDistrict(t.fake, t.bot.models, clock, (yaml) =>
      yaml
        .replace(
          'kind: department }\n  - { id: agriculture-bureau',
          'kind: department, members: [wu-yonghe] }\n  - { id: agriculture-bureau',
        )
        .replace(
          '{ id: heping, name: 和平彝族乡, kind: township }',
          '{ id: heping, name: 和平彝族乡, kind: township, chat: oc_example_heping }',
        ),
    );
    const [after] = await say('qian', { text: '/逾期' });
    expect(text(after?.content)).not.toContain('区自然资源局：');
    expect(text(after?.content)).not.toContain('和平彝族乡：');
    expect(text(after?.content)).toContain('永胜乡：名录中没有成员，也没有群聊，不能交办');
  });
});
