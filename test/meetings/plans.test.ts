import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text, textOf } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** 一河（湖）一策 and 健康评价报告 (art. 12–13): drafted with a file replied in the card's thread, approved by the chief. */

const clock = new ManualClock('2026-12-01T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

describe('a water body plan and a health report', () => {
  it('drafts a plan with a file replied in the card’s thread, and publishes it once the chief approves', async () => {
    const [form] = await say('zhou', { text: '/起草 一河一策 野牛' });
    expect(text(form?.content)).toContain('起草一河（湖）一策管理保护方案');
    const created = await tap(
      'zhou',
      { a: 'doc.create', k: 'waterBodyPlan', w: 'yeniu' },
      { body: '一、管理保护目标\n二、主要任务' },
    );
    expect(created.toast?.content).toBe('草稿已生成');
    const plan = (await t.bot.models.documents.findOne({ kind: 'waterBodyPlan' }).lean())!;
    expect(plan).toMatchObject({
      title: '野牛河“一河（湖）一策”管理保护方案',
      drafterUnit: 'ecology-bureau',
      approverId: 'wang-hezhang',
    });

    const card = t.fake
      .messages()
      .find((m) => m.chatId === 'oc_example_shengtai' && text(m.content).includes('管理保护方案'))!;
    const fileKey = t.fake.addFile('野牛河一河一策（送审稿）.docx', Buffer.from('方案全文'));
    const [ack] = await say('zhou', {
      chatId: 'oc_example_shengtai',
      rootId: card.messageId,
      messageType: 'file',
      content: { file_key: fileKey, file_name: '野牛河一河一策（送审稿）.docx' },
    });
    expect(textOf(ack)).toBe('已将文件“野牛河一河一策（送审稿）.docx”附在一河（湖）一策管理保护方案草稿中。');
    const [decision] = await say('zhou', {
      chatId: 'oc_example_shengtai',
      rootId: card.messageId,
      text: '议定：金河镇年底前完成',
    });
    expect(textOf(decision)).toBe('一河（湖）一策管理保护方案请在表单中填写正文，或在卡片话题中上传文件。');

    const current = async () => (await t.bot.models.documents.findOne({ _id: plan._id }).lean())!;
    expect(text(card.updates.at(-1))).toContain('野牛河一河一策（送审稿）.docx');
    await tap('zhou', { a: 'doc.submit', id: plan._id, v: (await current()).version });
    expect((await tap('li', { a: 'doc.approve', id: plan._id, v: (await current()).version })).toast?.content).toBe(
      '只有审定人可以审定一河（湖）一策管理保护方案。',
    );
    expect((await tap('wang', { a: 'doc.approve', id: plan._id, v: (await current()).version })).toast?.content).toBe(
      '已审定通过并印发',
    );
    expect(await current()).toMatchObject({ state: 'published', number: '金总河长办发〔2026〕1号' });
  });

  it('keeps health reports to cross-boundary rivers, drafted by the River Chief Office', async () => {
    const [refused] = await say('qian', { text: '/起草 健康评价报告 野牛河' });
    expect(textOf(refused)).toBe('健康评价报告只针对跨界的区级主要河流。');
    const [form] = await say('qian', { text: '/起草 健康评价报告 大渡河' });
    expect(text(form?.content)).toContain('起草健康评价报告');
    await tap('qian', { a: 'doc.create', k: 'healthReport', w: 'dadu-jinkouhe' }, { body: '评价结论：健康' });
    expect(await t.bot.models.documents.findOne({ kind: 'healthReport' }).lean()).toMatchObject({
      drafterUnit: 'river-chief-office',
      approverId: 'li-hezhang',
      trackerUnit: 'water-bureau',
    });
  });
});
