import { z } from 'zod';

/**
 * What a received message says in words and which pictures it carries, read from its
 * parsed `content` (`im.message.receive_v1` delivers content as a JSON string whose shape
 * depends on `message_type`). Pure: no I/O, nothing past Feishu's content shapes.
 *
 * Shapes, from 接收消息内容结构
 * (https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/events/message_content):
 * - text: `{ "text": "@_user_1 文本消息" }`; each @ is written `@_user_N` and resolved
 *   through the event's `mentions`.
 * - image: `{ "image_key": "img_…" }`.
 * - post (rich text: what the client sends as soon as text carries an inline picture or
 *   formatting): `{ "title": "", "content": [[{tag:"text", text}, {tag:"a", href, text},
 *   {tag:"at", user_id:"@_user_1", user_name}], [{tag:"img", image_key, width, height}],
 *   [{tag:"media", file_key, image_key}], [{tag:"emotion", emoji_type}], [{tag:"hr"}],
 *   [{tag:"code_block", language, text}]] }` — the outer array holds paragraphs, an image
 *   is a paragraph of its own, and a received post has no locale level. A post the bot
 *   *sends* is wrapped by locale, `{ "zh_cn": { title, content } }` (发送消息内容结构,
 *   https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/create_json), and
 *   the old v4 send API wrapped that again in `post`; those shapes are read too, so a post
 *   fetched back or forwarded is not lost.
 * - @所有人 is written `@_all` in text and has no entry in `mentions`
 *   (https://github.com/larksuite/openclaw-lark/issues/381); it is noise to the bot.
 */
export interface MessageReading {
  /** Words with mention placeholders removed; lines kept (a command may take one item per line). */
  text: string;
  /** `image_key`s of the pictures it carries, in order: an image message's one, a post's inline ones. */
  images: string[];
}

const NOTHING: MessageReading = { text: '', images: [] };

const TextContent = z.object({ text: z.string() });
const ImageContent = z.object({ image_key: z.string().min(1) });
const PostBody = z.object({ title: z.string().optional(), content: z.array(z.unknown()) });
const PostElement = z.object({
  tag: z.string(),
  text: z.string().optional(),
  href: z.string().optional(),
  image_key: z.string().optional(),
});

/** Locales a sent post may be wrapped in, the district's own first. */
const LOCALES = ['zh_cn', 'en_us', 'ja_jp'];

/** Reads a message's words and pictures; anything it does not know reads as nothing. */
export function readMessageContent(messageType: string, content: unknown): MessageReading {
  switch (messageType) {
    case 'text': {
      const text = TextContent.safeParse(content);
      return text.success ? { text: cleanText(text.data.text), images: [] } : NOTHING;
    }
    case 'image': {
      const image = ImageContent.safeParse(content);
      return image.success ? { text: '', images: [image.data.image_key] } : NOTHING;
    }
    case 'post': {
      const body = postBody(content);
      return body ? readPost(body) : NOTHING;
    }
    default:
      return NOTHING;
  }
}

/**
 * Removes `@_user_N` and `@_all` placeholders, so `@河湖长助手 /帮助` reads as `/帮助`, and
 * tidies spaces without joining lines.
 */
export function cleanText(raw: string): string {
  return raw
    .replace(/@_user_\d+|@_all\b/g, ' ')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

function postBody(content: unknown): z.infer<typeof PostBody> | undefined {
  const bare = PostBody.safeParse(content);
  if (bare.success) return bare.data;
  if (typeof content !== 'object' || content === null) return undefined;
  const record = content as Record<string, unknown>;
  if (typeof record.post === 'object' && record.post !== null) return postBody(record.post);
  const keys = [...LOCALES, ...Object.keys(record).filter((k) => !LOCALES.includes(k))];
  for (const key of keys) {
    const localised = PostBody.safeParse(record[key]);
    if (localised.success) return localised.data;
  }
  return undefined;
}

function readPost(body: z.infer<typeof PostBody>): MessageReading {
  const lines: string[] = [];
  const images: string[] = [];
  if (body.title?.trim()) lines.push(body.title);
  for (const paragraph of body.content) {
    if (!Array.isArray(paragraph)) continue;
    let line = '';
    for (const raw of paragraph) {
      const element = PostElement.safeParse(raw);
      if (!element.success) continue;
      line += elementText(element.data, images);
    }
    // Picture, rule and emoji paragraphs leave no empty line behind.
    const cleaned = cleanText(line);
    if (cleaned) lines.push(cleaned);
  }
  return { text: cleanText(lines.join('\n')), images };
}

/** An element's words; collects its picture. */
function elementText(element: z.infer<typeof PostElement>, images: string[]): string {
  switch (element.tag) {
    case 'text':
    case 'code_block':
    case 'md':
      return element.text ?? '';
    case 'a':
      return element.text || element.href || '';
    case 'at':
      // A mention is an address, not words: like `@_user_N` in a text message.
      return ' ';
    case 'img':
      if (element.image_key) images.push(element.image_key);
      return '';
    default:
      // media (a video; its image_key is the cover, not a photo), emotion, hr: no words.
      return '';
  }
}
