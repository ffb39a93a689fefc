import type { ComponentChildren, VNode } from 'preact';
import type { Person } from '../api.js';
import { nameOf, usePeople } from '../people.js';
import { tagColor, textColor } from './colors.js';

/**
 * Feishu's card rich text (the `markdown` component of card JSON 2.0), as far as the bot writes
 * it: `**bold**`, `*italic*`, `~~strike~~`, `[text](url)`, `<font color>`, `<at id>`,
 * `<text_tag color>`, `<link url>`, `#` headings, `-` and `1.` lists, `---` rules, one line per
 * newline. A character reference such as `&#42;` shows the character itself and never forms
 * syntax (the bot escapes people's words that way; src/workflows/markdown.ts).
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text
 */
export function Markdown({ content }: { content: string }) {
  const people = usePeople();
  return <div class="md">{blocks(content, people)}</div>;
}

/** Inline rich text only (button labels, panel titles in lark_md, message text). */
export function InlineMarkdown({ content }: { content: string }) {
  const people = usePeople();
  return <>{inline(content, people)}</>;
}

type ListKind = 'ul' | 'ol';

function blocks(content: string, people: Map<string, Person>): VNode[] {
  const out: VNode[] = [];
  let list: { kind: ListKind; items: VNode[] } | undefined;
  let paragraph: ComponentChildren[] = [];
  const flushParagraph = () => {
    if (paragraph.length > 0) out.push(<p>{paragraph}</p>);
    paragraph = [];
  };
  const flushList = () => {
    if (list) out.push(list.kind === 'ul' ? <ul>{list.items}</ul> : <ol>{list.items}</ol>);
    list = undefined;
  };
  for (const line of content.split('\n')) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (/^\s*(-{3,}|\*{3,})\s*$/.test(line)) {
      flushParagraph();
      flushList();
      out.push(<hr />);
    } else if (heading) {
      flushParagraph();
      flushList();
      out.push(<div class={`md-h md-h${heading[1]?.length ?? 1}`}>{inline(heading[2] ?? '', people)}</div>);
    } else if (bullet || numbered) {
      flushParagraph();
      const kind: ListKind = bullet ? 'ul' : 'ol';
      if (list?.kind !== kind) {
        flushList();
        list = { kind, items: [] };
      }
      list.items.push(<li>{inline((bullet ?? numbered)?.[1] ?? '', people)}</li>);
    } else {
      flushList();
      if (paragraph.length > 0) paragraph.push(<br />);
      paragraph.push(...inline(line, people));
    }
  }
  flushParagraph();
  flushList();
  return out;
}

type FrameKind = 'b' | 'i' | 's' | 'font' | 'root';
interface Frame {
  kind: FrameKind;
  /** The text that opened it, shown as is when it is never closed. */
  opener: string;
  color?: string;
  children: ComponentChildren[];
}

const NAMED_REFERENCES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

/** `&#60;`, `&#x3C;`, `&lt;`: the character, or undefined when `text` does not start with one. */
function reference(text: string): { char: string; length: number } | undefined {
  const m = /^&(#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-z]{2,5}));/.exec(text);
  if (!m) return undefined;
  if (m[2]) return { char: String.fromCodePoint(Number(m[2])), length: m[0].length };
  if (m[3]) return { char: String.fromCodePoint(Number.parseInt(m[3], 16)), length: m[0].length };
  const named = NAMED_REFERENCES[m[4] ?? ''];
  return named === undefined ? undefined : { char: named, length: m[0].length };
}

const attr = (tag: string, name: string) =>
  new RegExp(`${name}\\s*=\\s*(?:'([^']*)'|"([^"]*)"|([^\\s>]+))`)
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);

/** Parses one line of inline rich text into nodes; unclosed markers are shown as typed. */
export function inline(text: string, people: Map<string, Person>): ComponentChildren[] {
  const stack: Frame[] = [{ kind: 'root', opener: '', children: [] }];
  const top = () => stack[stack.length - 1] as Frame;
  let buffer = '';
  const flush = () => {
    if (buffer) top().children.push(buffer);
    buffer = '';
  };
  const open = (frame: Omit<Frame, 'children'>) => {
    flush();
    stack.push({ ...frame, children: [] });
  };
  const close = (kind: FrameKind): boolean => {
    const at = stack.map((f) => f.kind).lastIndexOf(kind);
    if (at <= 0) return false;
    flush();
    // Frames opened inside and never closed fold back into text.
    while (stack.length - 1 > at) unwind();
    const frame = stack.pop() as Frame;
    top().children.push(render(frame));
    return true;
  };
  const unwind = () => {
    const frame = stack.pop() as Frame;
    top().children.push(frame.opener, ...frame.children);
  };

  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ref = rest.startsWith('&') ? reference(rest) : undefined;
    if (ref) {
      buffer += ref.char;
      i += ref.length;
      continue;
    }
    const marker = /^(\*\*|~~)/.exec(rest)?.[1];
    if (marker) {
      const kind: FrameKind = marker === '**' ? 'b' : 's';
      if (!close(kind)) open({ kind, opener: marker });
      i += 2;
      continue;
    }
    if (rest.startsWith('*') && !rest.startsWith('* ')) {
      if (!close('i')) open({ kind: 'i', opener: '*' });
      i += 1;
      continue;
    }
    const link = /^\[([^\]\n]*)\]\(([^)\s]+)\)/.exec(rest);
    if (link) {
      flush();
      top().children.push(
        <a href={link[2]} target="_blank" rel="noreferrer">
          {inline(link[1] ?? '', people)}
        </a>,
      );
      i += link[0].length;
      continue;
    }
    const code = /^`([^`\n]+)`/.exec(rest);
    if (code) {
      flush();
      top().children.push(<code>{code[1]}</code>);
      i += code[0].length;
      continue;
    }
    if (rest.startsWith('<')) {
      const tag = /^<\/?([a-z_]+)([^<>]*)>/.exec(rest);
      const name = tag?.[1];
      if (tag && name) {
        const whole = tag[0];
        const closing = whole.startsWith('</');
        if (name === 'font' && !closing) {
          open({ kind: 'font', opener: whole, color: attr(whole, 'color') });
          i += whole.length;
          continue;
        }
        if (name === 'font' && closing && close('font')) {
          i += whole.length;
          continue;
        }
        if (name === 'br') {
          flush();
          top().children.push(<br />);
          i += whole.length;
          continue;
        }
        if (name === 'at' && !closing) {
          // <at id=ou_x></at> (cards) or <at user_id="ou_x">Name</at> (text messages).
          const end = rest.indexOf('</at>');
          const id = attr(whole, 'id') ?? attr(whole, 'user_id') ?? '';
          const inner = end >= 0 ? rest.slice(whole.length, end) : '';
          flush();
          top().children.push(<Mention id={id} fallback={inner} people={people} />);
          i += end >= 0 ? end + 5 : whole.length;
          continue;
        }
        const paired = /^(text_tag|link)$/.test(name) && !closing ? rest.indexOf(`</${name}>`) : -1;
        if (paired >= 0) {
          const inner = rest.slice(whole.length, paired);
          flush();
          top().children.push(
            name === 'link' ? (
              <a href={attr(whole, 'url')} target="_blank" rel="noreferrer">
                {inline(inner, people)}
              </a>
            ) : (
              <span class="text-tag" style={tagColor(attr(whole, 'color'))}>
                {inline(inner, people)}
              </span>
            ),
          );
          i += paired + name.length + 3;
          continue;
        }
      }
    }
    buffer += text[i];
    i += 1;
  }
  flush();
  while (stack.length > 1) unwind();
  return (stack[0] as Frame).children;
}

function render(frame: Frame): VNode {
  switch (frame.kind) {
    case 'b':
      return <b>{frame.children}</b>;
    case 'i':
      return <i>{frame.children}</i>;
    case 's':
      return <s>{frame.children}</s>;
    default:
      return <span style={{ color: textColor(frame.color) }}>{frame.children}</span>;
  }
}

function Mention({ id, fallback, people }: { id: string; fallback: string; people: Map<string, Person> }) {
  const name = id === 'all' ? '所有人' : people.has(id) ? nameOf(people, id) : fallback || id;
  return (
    <span class="mention" title={id}>
      @{name}
    </span>
  );
}
