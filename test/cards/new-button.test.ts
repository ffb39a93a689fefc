import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { done } from '../../src/chat/card-actions.js';
import { button } from '../../src/feishu/cards/buttons/button.js';
import { validateCard } from '../../src/feishu/cards/conformance.js';
import { renderCard } from '../../src/feishu/cards/template.js';
import type { CardActionInput } from '../../src/feishu/inbound.js';
import { silentLogger } from '../../src/log/logger.js';
import { useTestBot } from '../helpers/use-test-bot.js';

/**
 * README “新增一个按钮”: a button is one catalogue entry (its action name and the schema of its
 * value), a presenter that builds its value through that entry, and a handler bound under the
 * entry's name. This test declares an example entry (催办 on a problem), shows what the
 * compiler refuses (`npm run typecheck` checks the @ts-expect-error lines) and that the button
 * a presenter renders reaches its handler with the value typed.
 */

const t = useTestBot();

// 1. The catalogue entry, next to the feature's other buttons (src/feishu/cards/buttons/).
const exampleButtons = {
  urge: button('example.urge', { id: z.string().min(1).max(64), v: z.number().int().positive() }),
};

// 2. The presenter: plain data in, card out; the value is built only through the entry.
function urgeCard(view: { id: string; version: number; number: string }) {
  return renderCard('item-list', {
    title: `问题 ${view.number}`,
    subtitle: '催办',
    color: 'orange',
    summary: '承办单位尚未报送进展。',
    rows: [
      {
        text: view.number,
        button: { label: '催办', value: exampleButtons.urge.value({ id: view.id, v: view.version }) },
      },
    ],
  });
}

const tapOf = (value: unknown): CardActionInput => ({
  operatorOpenId: 'ou_example_office',
  value,
  formValue: undefined,
  inputValue: undefined,
  option: undefined,
  messageId: undefined,
  chatId: undefined,
  callbackToken: undefined,
});

describe('新增一个按钮', () => {
  it('a declared button compiles only with its fields and its handler, and its tap reaches the handler typed', async () => {
    const seen: Array<{ id: string; v: number; by: string }> = [];
    // 3. The handler, bound by the entry's name: the value arrives parsed by its schema.
    t.bot.cardActions.wire(exampleButtons, {
      urge: (v, _tap, ctx) => {
        seen.push({ id: v.id, v: v.v, by: ctx.operator });
        return Promise.resolve(done('已催办', urgeCard({ id: v.id, version: v.v + 1, number: '0042' })));
      },
    });

    // What the compiler refuses: a misspelt field, a misspelt button, a catalogue wired without a handler.
    // @ts-expect-error `version` is not a field of the value (it is `v`)
    exampleButtons.urge.value({ id: 'issue-1', version: 3 });
    /* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- the line does not compile, on purpose */
    // @ts-expect-error there is no button `urgr`
    const misspelt = () => exampleButtons.urgr.value({ id: 'issue-1', v: 3 });
    /* eslint-enable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access */
    // @ts-expect-error `urge` has no handler
    const unwired = () => t.bot.cardActions.wire(exampleButtons, {});
    expect([typeof misspelt, typeof unwired]).toEqual(['function', 'function']);

    // The rendered card is a valid Card JSON 2.0 card, and its button is wired.
    const card = urgeCard({ id: 'issue-1', version: 3, number: '0042' });
    expect(validateCard(card)).toEqual([]);
    const value = { a: 'example.urge', id: 'issue-1', v: 3 };
    expect(JSON.stringify(card)).toContain(JSON.stringify(value));
    expect(t.bot.cardActions.check(value)).toBe('ok');

    const answer = await t.bot.cardActions.handle(tapOf(value), { eventId: 'evt-urge-1', log: silentLogger() });
    expect(answer.toast).toEqual({ type: 'success', content: '已催办' });
    expect(seen).toEqual([{ id: 'issue-1', v: 3, by: 'ou_example_office' }]);

    // A value its schema refuses (a card too old or altered) is answered politely and reaches no handler.
    expect(t.bot.cardActions.check({ a: 'example.urge', id: 'issue-1' })).toBe('refused');
    const refused = await t.bot.cardActions.handle(tapOf({ a: 'example.urge', id: 'issue-1' }), {
      eventId: 'evt-urge-2',
      log: silentLogger(),
    });
    expect(refused.toast).toEqual({ type: 'error', content: '卡片数据无效，请重新打开最新的卡片。' });
    expect(seen).toHaveLength(1);
    expect(t.bot.cardActions.check({ a: 'example.unknown' })).toBe('unknown');
  });
});
