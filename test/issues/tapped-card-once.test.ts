import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import type { FakeMessage } from '../../src/feishu/fake/fake-feishu.js';
import { REGISTRATION_FORM } from '../factories/issue.js';
import { exampleOpenId, importExampleDistrict } from '../helpers/district.js';
import { peopleChat, text } from '../helpers/people-chat.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * A tap on a problem card the bot sent: the card is answered in place and patched once with
 * the new state (Feishu allows five updates a second per message), and every other copy is
 * patched once too.
 */

const clock = new ManualClock('2026-11-24T10:00:00+08:00');
const t = useTestBot({ clock });
const { tap } = peopleChat(t, clock);
const NUMBER = '金口河〔2026〕第0001号';

const issue = async () => (await t.bot.models.issues.findOne({ seq: 1 }).lean())!;
const act = async (step: string) => ({ a: 'issue.act', id: (await issue()).key, v: (await issue()).version, t: step });
const cardIn = (where: (m: FakeMessage) => boolean) =>
  t.fake.messages().find((m) => where(m) && text(m.content).includes(NUMBER) && m.msgType === 'interactive');

beforeAll(async () => {
  await importExampleDistrict(t.fake, t.bot.models, clock);
});

describe('a tap on a problem card the bot sent', () => {
  it('patches the tapped card once and each other copy once', async () => {
    await tap('qian', { a: 'issue.create' }, REGISTRATION_FORM);
    const assigned = await tap('qian', await act('assign'), {
      unit: 'yonghe',
      date: '2026-12-04 +0800',
      text: '7日内清运，恢复岸坡',
    });
    expect(assigned.toast?.content).toBe('已交办');
    await t.settle();
    // 永和镇's member got the card directly; the office's group has its copy.
    const tapped = cardIn((m) => m.receiveId === exampleOpenId('wu'))!;
    const office = cardIn((m) => m.chatId === 'oc_example_hezhangban')!;
    const before = { tapped: tapped.updates.length, office: office.updates.length };

    const accepted = await tap('wu', await act('accept'), undefined, tapped.messageId);
    await t.settle();
    expect(accepted.toast?.content).toBe('已接收，请抓紧整改');
    expect(text(accepted.card)).toContain('整改中');
    expect(tapped.updates.length - before.tapped).toBe(1);
    expect(text(tapped.updates.at(-1))).toContain('整改中');
    expect(office.updates.length - before.office).toBe(1);
    expect(text(office.updates.at(-1))).toContain('整改中');
  });
});
