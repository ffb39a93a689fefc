import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { importExampleDistrict } from '../helpers/district.js';
import { peopleChat, type Reply } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * People's words never become card markup: a problem whose description, place, requirement,
 * progress, 申请销号 text and 退回 reason are full of mentions, tags, links and emphasis is
 * registered and worked through; no card the fake received @-mentions everyone, colours text,
 * links or bolds anything from that text, and every card still shows the words as typed.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap, say } = peopleChat(t, clock);

const HOSTILE =
  '<at id=all></at><at user_id="all"></at><font color=\'red\'>x</font>[点我](https://evil.example)**粗体**';
const said = (what: string) => `${what}${HOSTILE}`;

/** Every `markdown` element's content in a card, however deeply nested. */
function markdownIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => markdownIn(n, out));
  else if (typeof node === 'object' && node !== null) {
    const element = node as { tag?: unknown; content?: unknown };
    if (element.tag === 'markdown' && typeof element.content === 'string') out.push(element.content);
    Object.values(node).forEach((v) => markdownIn(v, out));
  }
  return out;
}

/** Decodes numeric character references as Feishu's renderer does. */
const shown = (source: string) => source.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

const answers: Reply[] = [];
const issue = async () => (await t.bot.models.issues.findOne({ seq: 1 }).lean())!;
const act = async (type: string) => ({ a: 'issue.act', id: (await issue()).key, v: (await issue()).version, t: type });
const form = async (type: string) => ({
  a: 'issue.form',
  id: (await issue()).key,
  v: (await issue()).version,
  t: type,
});
const tapAs = async (...args: Parameters<typeof tap>) => {
  const answer = await tap(...args);
  answers.push(answer);
  return answer;
};

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

describe('text people type is shown on cards, never read as card markup', () => {
  it('works a problem through with hostile text at every step', async () => {
    const [registerForm] = await say('qian', { text: '/登记' });
    const registered = await tapAs(
      'qian',
      { a: 'issue.create' },
      {
        water: 'dadu-jinkouhe',
        township: 'yonghe',
        place: said('滨河路段'),
        description: said('河岸堆放建筑垃圾'),
        category: '河岸',
        urgency: 'normal',
      },
      registerForm!.messageId,
    );
    expect(registered.toast?.content).toBe('问题已登记，已送区河长制办公室交办');

    await tapAs('qian', await form('assign'));
    expect(
      (await tapAs('qian', await act('assign'), { unit: 'yonghe', date: '2026-12-04 +0800', text: said('7日内清运') }))
        .toast?.content,
    ).toBe('已交办');
    await tapAs('wu', await act('accept'));

    const [progressAck] = await say('wu', { text: `/进展 0001 ${said('已清运一半')}` });
    expect(progressAck?.content).toEqual({ text: `已记为${(await issue()).number}问题的进展。` });

    expect((await tapAs('wu', await act('requestClose'), { text: said('已全部清运') })).toast?.content).toBe(
      '已申请销号，等待核查',
    );
    expect((await tapAs('sun', await act('verifyFail'), { text: said('岸坡尚未恢复') })).toast?.content).toBe(
      '已退回整改',
    );
    expect((await issue()).state).toBe('rectifying');
  });

  it('leaves no mention of everyone, coloured text, link or bold made of that text on any card', () => {
    const cards = [
      ...t.fake
        .messages()
        .filter((m) => m.msgType === 'interactive')
        .flatMap((m) => [m.content, ...m.updates]),
      ...answers.map((a) => a.card),
    ];
    const contents = cards.flatMap((card) => markdownIn(card));
    expect(contents.length).toBeGreaterThan(10);
    for (const content of contents) {
      expect(content).not.toMatch(/<at\s+(id|user_id)\s*=\s*"?all/);
      expect(content).not.toContain("<font color='red'>x");
      expect(content).not.toContain('[点我]');
      expect(content).not.toContain('](https://evil.example)');
      expect(content).not.toContain('**粗体**');
    }
    // The bot's own formatting is still there.
    expect(contents.some((c) => c.includes('**问题**：'))).toBe(true);
  });

  it('never lets that text mention everyone in a text message either', () => {
    const texts = t.fake
      .messages()
      .filter((m) => m.msgType === 'text')
      .map((m) => (m.content as { text: string }).text);
    expect(texts.some((x) => x.includes('岸坡尚未恢复'))).toBe(true);
    for (const x of texts) expect(x).not.toMatch(/<\s*at\b/);
  });

  it('still shows every piece of that text as typed', () => {
    const visible = t.fake
      .messages()
      .filter((m) => m.msgType === 'interactive')
      .flatMap((m) => [m.content, ...m.updates])
      .flatMap((card) => markdownIn(card))
      .map(shown)
      .join('\n');
    for (const what of ['河岸堆放建筑垃圾', '滨河路段', '7日内清运', '已清运一半', '岸坡尚未恢复'])
      expect(visible).toContain(said(what));
  });
});
