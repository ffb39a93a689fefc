import { describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../src/feishu/fake/fake-types.js';
import { describeMessage } from '../../src/feishu/fake/render-console.js';

function card(content: unknown): FakeMessage {
  return {
    messageId: 'om_1',
    receiveIdType: 'chat_id',
    receiveId: 'oc_1',
    msgType: 'interactive',
    content,
    rawContent: JSON.stringify(content),
    createdAt: new Date(0),
    updates: [],
    urgentTo: [],
  };
}

describe('the local console', () => {
  it("shows a card's state tags next to its title", () => {
    const text = describeMessage(
      card({
        schema: '2.0',
        header: {
          title: { tag: 'plain_text', content: '问题 金口河〔2026〕第0001号' },
          text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: '待交办' }, color: 'orange' }],
        },
        body: { elements: [] },
      }),
    );
    expect(text).toContain('【问题 金口河〔2026〕第0001号】〔待交办〕');
  });
});
