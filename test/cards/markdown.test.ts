import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../src/feishu/cards/template.js';
import { escapeMarkdown, joinMarkdown, md, mention, rawMarkdown } from '../../src/workflows/markdown.js';

/** Decodes the numeric character references the escaping writes, as Feishu's renderer does. */
const shown = (source: string) => source.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

describe('escapeMarkdown', () => {
  const hostile = [
    '<at id=all></at>',
    '<at user_id="all">所有人</at>',
    "<font color='red'>x</font>",
    '<link url="https://evil.example">点</link>',
    '<text_tag color="red">紧急</text_tag>',
    '<local_datetime millisecond="0"></local_datetime>',
    '[点我](https://evil.example)',
    '![图](img_v2_x)',
    '**粗体** *斜体* ~~删除~~ __下划线__',
    '`代码`',
    '# 标题',
    '| a | b |\n|---|---|\n| 1 | 2 |',
    '> 引用',
    '- 列表\n+ 列表\n1. 列表\n2) 列表',
    '---',
    '文字\n===',
    '结尾反斜杠\\',
    '&#60;at id=all&#62;',
  ];

  it.each(hostile)('leaves no markdown syntax in %j and shows it as typed', (text) => {
    const escaped = escapeMarkdown(text);
    const syntaxLeft = escaped.replace(/&#\d+;/g, '');
    expect(syntaxLeft).not.toMatch(/[<>*_~[\]`#|\\&]/);
    expect(escaped).not.toMatch(/^[ \t]*([-+=]|\d+[.)])/m);
    expect(shown(escaped)).toBe(text);
  });

  it('leaves ordinary Chinese text, dates and punctuation alone', () => {
    const text = '河岸堆放建筑垃圾约20立方米（滨河路段），2026-11-24 发现；R&D、a & b 不变。';
    expect(escapeMarkdown(text)).toBe(text);
  });

  it('treats list markers as such only where a line starts', () => {
    expect(md`1. **共安彝族乡** ${'87.29'} 分`.source).toBe('1. **共安彝族乡** 87.29 分');
    expect(md`**进展**：${'1. 清运\n2. 复绿'}`.source).toBe('**进展**：1. 清运\n2&#46; 复绿');
    expect(md`**进展**\n${'1. 清运'}`.source).toBe('**进展**\n1&#46; 清运');
  });

  it('keeps the line breaks people typed', () => {
    expect(escapeMarkdown('第一行\n第二行')).toBe('第一行\n第二行');
  });
});

describe('md', () => {
  it('keeps the literal formatting and escapes every interpolated value', () => {
    const description = '<at id=all></at> **粗体**';
    expect(md`**问题**：${description}`.source).toBe(
      '**问题**：&#60;at id=all&#62;&#60;/at&#62; &#42;&#42;粗体&#42;&#42;',
    );
  });

  it('nests Markdown without escaping it twice, and writes nothing for undefined', () => {
    const status = md`<font color='red'>${'已逾期2天'}</font>`;
    expect(md`**整改期限**：12月4日（${status}）${undefined}`.source).toBe(
      "**整改期限**：12月4日（<font color='red'>已逾期2天</font>）",
    );
  });

  it('joins lines, leaving out empty parts and escaping plain strings', () => {
    const joined = joinMarkdown([md`**来源**：${'巡河'}`, '', false, undefined, md``, '[链接](https://x)']);
    expect(joined.source).toBe('**来源**：巡河\n&#91;链接&#93;(https://x)');
    expect(joinMarkdown([]).isEmpty).toBe(true);
  });

  it('mentions only well-formed open_ids', () => {
    expect(mention('ou_abc-123').source).toBe('<at id=ou_abc-123></at>');
    expect(mention('all></at><at id=all').source).not.toContain('<at');
  });

  it('takes raw text as formatting only when asked explicitly', () => {
    expect(rawMarkdown('**已发送**').source).toBe('**已发送**');
  });
});

describe('card templates', () => {
  const template = {
    header: { title: { tag: 'plain_text', content: '{{title}}' } },
    body: {
      elements: [
        { tag: 'markdown', content: '**描述**：{{text}}' },
        { tag: 'markdown', content: '{{formatted}}' },
        { $if: 'empty', $do: { tag: 'markdown', content: '{{empty}}' } },
        {
          tag: 'input',
          name: 'text',
          default_value: '{{text}}',
          placeholder: { tag: 'plain_text', content: '{{text}}' },
        },
      ],
    },
  };
  const typed = '<at id=all></at>[点我](https://evil.example)';

  it('escapes plain values put into markdown content, keeps Markdown, and leaves plain_text and inputs as typed', () => {
    const card = fillTemplate(template, { title: typed, text: typed, formatted: md`**${typed}**`, empty: md`` }) as {
      header: { title: { content: string } };
      body: { elements: Array<{ content?: string; default_value?: string; placeholder?: { content: string } }> };
    };
    const [description, formatted, input] = card.body.elements;
    expect(description?.content).toBe(`**描述**：${escapeMarkdown(typed)}`);
    expect(formatted?.content).toBe(`**${escapeMarkdown(typed)}**`);
    // Empty markdown counts as absent for $if.
    expect(card.body.elements).toHaveLength(3);
    expect(input?.default_value).toBe(typed);
    expect(input?.placeholder?.content).toBe(typed);
    expect(card.header.title.content).toBe(typed);
  });

  it('refuses Markdown in a plain_text place', () => {
    expect(() => fillTemplate(template, { title: md`**x**`, text: '', formatted: '' })).toThrow(/plain text/);
  });
});
