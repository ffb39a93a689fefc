import { describe, expect, it } from 'vitest';
import { messageReceived } from '../../src/feishu/fake/event-builders.js';
import { MessageReceiveSchema, toIncomingMessage } from '../../src/feishu/inbound.js';
import { cleanText, readMessageContent } from '../../src/feishu/inbound-content.js';

/** A post as Feishu delivers it in `im.message.receive_v1` (captured shape: bare, `style: []`). */
const received = {
  title: '',
  content: [
    [
      { tag: 'at', user_id: '@_user_1', user_name: '河湖长助手', style: [] },
      { tag: 'text', text: ' /进展 0042 已清运一半，', style: [] },
      { tag: 'a', href: 'https://example.gov.cn/photo', text: '现场视频', style: [] },
    ],
    [{ tag: 'img', image_key: 'img_v3_before', width: 1293, height: 1500 }],
    [
      { tag: 'text', text: '预计周五完成', style: ['bold'] },
      { tag: 'emotion', emoji_type: 'SMILE' },
    ],
    [{ tag: 'media', file_key: 'file_v3_video', image_key: 'img_v3_video_cover' }],
    [{ tag: 'hr' }],
    [],
    [{ tag: 'img', image_key: 'img_v3_after' }],
  ],
};

describe('reading a received message', () => {
  it('reads a post: paragraphs as lines, links as their words, @s removed, inline pictures in order', () => {
    expect(readMessageContent('post', received)).toEqual({
      text: '/进展 0042 已清运一半，现场视频\n预计周五完成',
      images: ['img_v3_before', 'img_v3_after'],
    });
  });

  it('puts a post’s title first', () => {
    const post = { title: '滨河路段整改', content: [[{ tag: 'text', text: '已清运一半' }]] };
    expect(readMessageContent('post', post).text).toBe('滨河路段整改\n已清运一半');
  });

  it('reads a post wrapped by locale, as sent posts are, and the old `post` wrapper', () => {
    const body = {
      title: '',
      content: [[{ tag: 'text', text: '议定：加强汛期巡查' }], [{ tag: 'img', image_key: 'img_1' }]],
    };
    const expected = { text: '议定：加强汛期巡查', images: ['img_1'] };
    expect(readMessageContent('post', { zh_cn: body })).toEqual(expected);
    expect(readMessageContent('post', { en_us: body })).toEqual(expected);
    expect(readMessageContent('post', { post: { zh_cn: body } })).toEqual(expected);
  });

  it('shows a link without words as its address, and a code block as its text', () => {
    const post = {
      content: [
        [
          { tag: 'text', text: '见 ' },
          { tag: 'a', href: 'https://example.gov.cn/a' },
        ],
        [{ tag: 'code_block', language: 'PLAIN_TEXT', text: '第一行\n第二行' }],
      ],
    };
    expect(readMessageContent('post', post).text).toBe('见 https://example.gov.cn/a\n第一行\n第二行');
  });

  it('reads a photo-only post as no words and its pictures', () => {
    expect(
      readMessageContent('post', {
        title: '',
        content: [[{ tag: 'img', image_key: 'img_a' }], [{ tag: 'img', image_key: 'img_b' }]],
      }),
    ).toEqual({ text: '', images: ['img_a', 'img_b'] });
  });

  it('strips @_all and @_user_N everywhere, in text messages and posts alike', () => {
    expect(readMessageContent('text', { text: '@_all 河道已清理 @_user_2' })).toEqual({
      text: '河道已清理',
      images: [],
    });
    expect(
      readMessageContent('post', {
        content: [
          [
            { tag: 'at', user_id: '@_all', user_name: '所有人' },
            { tag: 'text', text: ' 注意 @_all 汛期' },
          ],
        ],
      }).text,
    ).toBe('注意 汛期');
    expect(cleanText('@_user_1  /登记\n  第二行 ')).toBe('/登记\n第二行');
  });

  it('keeps the lines of a text message and reads an image message’s picture', () => {
    expect(readMessageContent('text', { text: '议定：一\n议定：二' }).text).toBe('议定：一\n议定：二');
    expect(readMessageContent('image', { image_key: 'img_v3_x' })).toEqual({ text: '', images: ['img_v3_x'] });
  });

  it('reads anything malformed or unknown as nothing', () => {
    for (const [type, content] of [
      ['post', undefined],
      ['post', { title: 'x' }],
      ['post', { content: 'not paragraphs' }],
      ['text', { text: 3 }],
      ['image', { image_key: '' }],
      ['file', { file_key: 'f' }],
    ] as const) {
      expect(readMessageContent(type, content)).toEqual({ text: '', images: [] });
    }
    // Malformed elements are skipped, the rest is read.
    expect(
      readMessageContent('post', { content: [[{ text: 'no tag' }, 'x', { tag: 'text', text: '有效' }]] }).text,
    ).toBe('有效');
  });
});

describe('a post event from the fake, read by the bot', () => {
  it('carries placeholders and mentions as Feishu does, and reads as the words and pictures written', () => {
    const event = messageReceived({
      senderOpenId: 'ou_sender',
      chatId: 'oc_group',
      chatType: 'group',
      post: {
        paragraphs: [
          [
            { tag: 'at', openId: 'ou_bot', name: '河湖长助手' },
            { tag: 'text', text: ' 已清运一半' },
            { tag: 'img', imageKey: 'img_v3_1' },
            { tag: 'text', text: '请' },
            { tag: 'at', all: true },
            { tag: 'text', text: '留意' },
          ],
        ],
      },
    });
    expect(event.event.message.message_type).toBe('post');
    const content = JSON.parse(event.event.message.content) as {
      title: string;
      content: Array<Array<Record<string, unknown>>>;
    };
    // A picture among words becomes a paragraph of its own, as the client sends it.
    expect(content.title).toBe('');
    expect(content.content.map((p) => p.map((e) => e.tag))).toEqual([['at', 'text'], ['img'], ['text', 'at', 'text']]);
    expect(content.content[0]?.[0]).toEqual({ tag: 'at', user_id: '@_user_1', user_name: '河湖长助手', style: [] });
    expect(event.event.message.mentions).toMatchObject([
      { key: '@_user_1', name: '河湖长助手', id: { open_id: 'ou_bot' } },
    ]);

    const message = toIncomingMessage(MessageReceiveSchema.parse(event.event));
    expect(message).toMatchObject({
      messageType: 'post',
      text: '已清运一半\n请 留意',
      images: ['img_v3_1'],
      mentionedOpenIds: ['ou_bot'],
    });
  });
});
