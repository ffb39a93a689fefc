import type { FakeMessage } from './fake-types.js';

/**
 * Renders what the bot sent as readable console text for local mode: a text as is, a card
 * as a boxed summary of its title, text blocks, inputs and buttons (with callback values).
 * The box has no right border because CJK characters make column widths unreliable.
 */

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function compact(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A text object's content: `{ tag, content }`, i18n variants, or a bare string. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isRecord(value)) return undefined;
  const content = asString(value.content) ?? asString(value.text);
  if (content !== undefined) return content;
  const i18n = value.i18n_content ?? value.i18n;
  if (isRecord(i18n)) return asString(i18n.zh_cn) ?? asString(Object.values(i18n)[0]);
  return undefined;
}

const KIND: Record<string, string> = {
  text: '文本',
  interactive: '卡片',
  post: '富文本',
  image: '图片',
  file: '文件',
  audio: '语音',
  media: '视频',
  sticker: '表情包',
  share_chat: '群名片',
  share_user: '个人名片',
};

function headline(m: FakeMessage): string {
  const kind = KIND[m.msgType] ?? m.msgType;
  let target: string;
  if (m.senderOpenId !== undefined) {
    target = `← 用户 ${m.senderOpenId}${m.parentId !== undefined ? ` 回复 ${m.parentId}` : ''}`;
  } else if (m.parentId !== undefined) {
    target = `↩ 回复 ${m.parentId}${m.replyInThread || m.threadId ? '（话题内）' : ''}`;
  } else if (m.receiveIdType === 'chat_id') {
    target = `→ 群 ${m.receiveId ?? '?'}`;
  } else {
    target = `→ 用户 ${m.receiveId ?? '?'}${m.receiveIdType && m.receiveIdType !== 'open_id' ? ` (${m.receiveIdType})` : ''}`;
  }
  const updated = m.updates.length > 0 ? ` · 已更新 ${m.updates.length} 次` : '';
  return `┌─ ${kind} ${m.messageId} ${target}${updated}`;
}

function buttonLine(el: Json): string {
  const label = textOf(el.text) ?? '';
  const details: string[] = [];
  for (const behavior of asArray(el.behaviors)) {
    if (!isRecord(behavior)) continue;
    if (behavior.type === 'callback') details.push(`回调 ${compact(behavior.value)}`);
    else if (behavior.type === 'open_url') details.push(`打开 ${asString(behavior.default_url) ?? '?'}`);
    else details.push(compact(behavior));
  }
  // Card JSON 1.0 buttons carry `value` / `url` directly.
  if (el.value !== undefined) details.push(`回调 ${compact(el.value)}`);
  if (typeof el.url === 'string') details.push(`打开 ${el.url}`);
  if (el.form_action_type === 'submit') details.push('提交表单');
  if (el.form_action_type === 'reset') details.push('重置表单');
  if (el.disabled === true) details.push('已禁用');
  return `[ ${label} ]${details.length > 0 ? ` → ${details.join('；')}` : ''}`;
}

function fieldLine(kind: string, el: Json): string {
  const name = asString(el.name);
  const label = textOf(el.label);
  const placeholder = textOf(el.placeholder);
  const bits = [`[${kind}${name ? ` ${name}` : ''}${el.required === true ? ' *' : ''}]`];
  if (label) bits.push(`${label}：`);
  if (placeholder) bits.push(`（${placeholder}）`);
  const initial = el.default_value ?? el.initial_option ?? el.initial_date;
  if (initial !== undefined) bits.push(`默认 ${typeof initial === 'string' ? initial : compact(initial)}`);
  const options = asArray(el.options)
    .map((o) => (isRecord(o) ? (textOf(o.text) ?? asString(o.value)) : undefined))
    .filter((o): o is string => o !== undefined);
  if (options.length > 0) bits.push(`选项：${options.join(' / ')}`);
  return bits.join(' ');
}

function elementLines(el: unknown, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const lines = (text: string) => text.split('\n').map((line) => pad + line);
  const children = (list: unknown, extra = 1) => asArray(list).flatMap((child) => elementLines(child, depth + extra));
  if (!isRecord(el)) return el === undefined ? [] : lines(compact(el));
  const tag = asString(el.tag) ?? '?';

  switch (tag) {
    case 'markdown':
    case 'lark_md':
    case 'plain_text':
      return lines(textOf(el) ?? '');
    case 'div': {
      const out = textOf(el.text) !== undefined ? lines(textOf(el.text) ?? '') : [];
      for (const field of asArray(el.fields)) if (isRecord(field)) out.push(...lines(textOf(field.text) ?? ''));
      if (isRecord(el.extra)) out.push(...elementLines(el.extra, depth + 1));
      return out;
    }
    case 'hr':
      return [pad + '────────'];
    case 'button':
      return lines(buttonLine(el));
    case 'form':
      return [pad + `表单${el.name ? ` ${asString(el.name)}` : ''}：`, ...children(el.elements)];
    case 'input':
      return lines(fieldLine('输入框', el));
    case 'select_static':
    case 'multi_select_static':
      return lines(fieldLine('下拉', el));
    case 'select_person':
    case 'multi_select_person':
      return lines(fieldLine('选人', el));
    case 'date_picker':
    case 'picker_time':
    case 'picker_datetime':
      return lines(fieldLine('日期', el));
    case 'checker':
      return lines(`${el.checked === true ? '☑' : '☐'} ${textOf(el.text) ?? ''}`);
    case 'column_set':
      return asArray(el.columns).flatMap((column) => (isRecord(column) ? children(column.elements, 0) : []));
    case 'collapsible_panel': {
      const title = isRecord(el.header) ? textOf(el.header.title) : undefined;
      return [pad + `▸ ${title ?? '折叠面板'}`, ...children(el.elements)];
    }
    case 'action':
      return children(el.actions, 0);
    case 'note':
      return children(el.elements, 0);
    case 'img':
    case 'image':
      return lines(
        `[图片 ${asString(el.img_key) ?? asString(el.image_key) ?? '?'}${textOf(el.alt) ? ` ${textOf(el.alt)}` : ''}]`,
      );
    case 'person':
      return lines(`@${asString(el.user_id) ?? '?'}`);
    case 'table':
      return lines(`[表格 ${asArray(el.rows).length} 行]`);
    default:
      // Containers we do not know still show what is inside them.
      if (Array.isArray(el.elements)) return children(el.elements, 0);
      if (Array.isArray(el.columns))
        return asArray(el.columns).flatMap((column) => (isRecord(column) ? children(column.elements, 0) : []));
      return lines(textOf(el) ?? `[${tag}]`);
  }
}

function cardLines(card: unknown): string[] {
  if (!isRecord(card)) return [compact(card)];
  if (card.type === 'template' && isRecord(card.data)) {
    return [`模板卡片 ${asString(card.data.template_id) ?? '?'}`, `变量 ${compact(card.data.template_variable ?? {})}`];
  }
  const out: string[] = [];
  if (isRecord(card.header)) {
    const title = textOf(card.header.title);
    const subtitle = textOf(card.header.subtitle);
    // A card's state (待交办, 已办结, …) sits in the header's tag list.
    const tags = asArray(card.header.text_tag_list)
      .map((tag) => (isRecord(tag) ? textOf(tag.text) : undefined))
      .filter((tag): tag is string => !!tag);
    if (title !== undefined) out.push(`【${title}】${tags.map((tag) => `〔${tag}〕`).join('')}`);
    else if (tags.length > 0) out.push(tags.map((tag) => `〔${tag}〕`).join(''));
    if (subtitle !== undefined) out.push(subtitle);
  }
  const body = isRecord(card.body) ? card.body.elements : undefined;
  const i18n = isRecord(card.i18n_elements)
    ? (card.i18n_elements.zh_cn ?? Object.values(card.i18n_elements)[0])
    : undefined;
  const elements = asArray(body ?? card.elements ?? i18n);
  out.push(...elements.flatMap((el) => elementLines(el, 0)));
  return out.length > 0 ? out : [compact(card)];
}

function postLines(content: unknown): string[] {
  if (!isRecord(content)) return [compact(content)];
  const localised = isRecord(content.post) ? content.post : content;
  const post = 'content' in localised ? localised : (localised.zh_cn ?? Object.values(localised)[0]);
  if (!isRecord(post)) return [compact(content)];
  const out = asString(post.title) ? [`【${asString(post.title)}】`] : [];
  for (const paragraph of asArray(post.content)) {
    const pieces = asArray(paragraph).map((node) => {
      if (!isRecord(node)) return '';
      if (node.tag === 'at') return `@${asString(node.user_name) ?? asString(node.user_id) ?? '?'}`;
      if (node.tag === 'a') return `${asString(node.text) ?? ''}(${asString(node.href) ?? ''})`;
      if (node.tag === 'img') return `[图片 ${asString(node.image_key) ?? '?'}]`;
      if (node.tag === 'hr') return '────────';
      return asString(node.text) ?? '';
    });
    out.push(pieces.join(''));
  }
  return out;
}

function contentLines(m: FakeMessage): string[] {
  const content = m.content;
  const field = (key: string) => (isRecord(content) ? asString(content[key]) : undefined);
  switch (m.msgType) {
    case 'text':
      return (field('text') ?? compact(content)).split('\n');
    case 'interactive':
      return cardLines(content);
    case 'post':
      return postLines(content);
    case 'image':
      return [`[图片 ${field('image_key') ?? '?'}]`];
    case 'file':
      return [`[文件 ${[field('file_name'), field('file_key') ?? '?'].filter(Boolean).join(' ')}]`];
    case 'audio':
    case 'media':
    case 'sticker':
      return [`[${KIND[m.msgType] ?? m.msgType} ${field('file_key') ?? '?'}]`];
    default:
      return [compact(content)];
  }
}

/** A multi-line rendering of one message, ready for the console. */
export function describeMessage(m: FakeMessage): string {
  const lines = [headline(m)];
  if (m.urgentTo.length > 0) lines.push(`│ ⚡ 加急 → ${m.urgentTo.join(', ')}`);
  for (const line of contentLines(m)) lines.push(`│ ${line}`);
  lines.push('└─');
  return lines.join('\n');
}
