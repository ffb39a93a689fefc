import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { messageReceived } from '../../src/feishu/fake/event-builders.js';
import { InboxStore } from '../../src/store/inbox-store.js';
import { TEST_APP } from '../helpers/bot.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/** An event whose processing fails is kept and retried by the inbox job, not lost. */

const clock = new ManualClock();
let failuresLeft = 1;

const t = useTestBot({ clock });
beforeAll(() => {
  t.bot.commands.register({
    name: '测试',
    aliases: ['flaky'],
    usage: '/测试',
    summary: '测试用：第一次失败',
    example: '/测试',
    async run(ctx) {
      if (failuresLeft-- > 0) throw new Error('database hiccup');
      await ctx.reply({ kind: 'text', text: '已处理' });
    },
  });
});

describe('inbox retry', () => {
  it('retries a failed event after its backoff and then answers once', async () => {
    const event = messageReceived({
      text: '/flaky',
      senderOpenId: 'ou_example_zhao',
      chatId: 'oc_p2p_zhao',
      chatType: 'p2p',
      token: TEST_APP.verificationToken,
    });
    expect((await t.post(event)).status).toBe(200);
    await t.settle();
    const id = event.header.event_id;
    const inbox = new InboxStore(t.bot.models, clock);
    expect(await inbox.stateOf(id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(t.logs.find('event processing failed')[0]).toMatchObject({ eventId: id });
    expect(t.fake.messages()).toHaveLength(0);

    // Not yet due: nothing happens.
    expect(await t.bot.intake.retryDue()).toBe(0);
    clock.advance(60_000);
    expect(await t.bot.intake.retryDue()).toBe(1);
    await t.settle();
    expect(await inbox.stateOf(id)).toEqual({ status: 'done' });
    expect(await t.bot.models.inboxEvents.countDocuments()).toBe(0);
    expect(t.fake.messages().map((m) => m.content)).toEqual([{ text: '已处理' }]);

    // Done events are not retried again, and a redelivery from Feishu is still dropped.
    clock.advance(60 * 60_000);
    expect(await t.bot.intake.retryDue()).toBe(0);
    expect((await t.post(event)).status).toBe(200);
    await t.settle();
    expect(t.fake.messages()).toHaveLength(1);
  });

  it('forgets received event ids once Feishu can no longer redeliver them', async () => {
    const before = await t.bot.models.inboxSeen.countDocuments();
    expect(before).toBeGreaterThan(0);
    const store = new InboxStore(t.bot.models, clock);
    expect(await store.purgeBefore(new Date(clock.now().getTime() - 24 * 60 * 60_000))).toBe(0);
    expect(await store.purgeBefore(new Date(clock.now().getTime() + 1))).toBe(before);
    expect(await t.bot.models.inboxLeases.countDocuments()).toBe(0);
  });
});
