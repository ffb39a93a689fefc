import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type Message } from './api.js';
import { Card } from './card/card.js';
import { isObject, type Json, list, str } from './card/json.js';
import { nameOf, usePeople } from './people.js';

/**
 * What a message shows in the chat, by `msg_type`, as the Feishu client draws it: cards drawn in
 * full, text with @-mentions as names, files that download the real bytes, images, locations and
 * media as placeholders.
 * https://open.feishu.cn/document/server-docs/im-v1/message-content-description/message_content
 */
export function MessageContent({ message }: { message: Message }) {
  const content = isObject(message.content) ? message.content : {};
  switch (message.msgType) {
    case 'interactive':
      return <Card card={content} />;
    case 'text':
      return (
        <div class="bubble">
          <Text text={str(content.text) ?? ''} fromUser={message.sender.kind === 'user'} />
        </div>
      );
    case 'post':
      return <Post post={content} />;
    case 'file':
      return <FileMessage fileKey={str(content.file_key) ?? ''} fileName={str(content.file_name)} />;
    case 'image':
      return <div class="bubble placeholder">[图片]</div>;
    case 'location':
      return <div class="bubble placeholder">[位置] {str(content.name) ?? ''}</div>;
    case 'audio':
      return <div class="bubble placeholder">[语音]</div>;
    case 'media':
      return <div class="bubble placeholder">[视频] {str(content.file_name) ?? ''}</div>;
    case 'sticker':
      return <div class="bubble placeholder">[表情]</div>;
    default:
      return <div class="bubble placeholder">[{message.msgType} 消息]</div>;
  }
}

/**
 * A file message: its name (a message the bot sent carries only the file key, so the name comes
 * from the download's content-disposition) and a link that downloads the real bytes.
 */
function FileMessage({ fileKey, fileName }: { fileKey: string; fileName: string | undefined }) {
  const [name, setName] = useState(fileName);
  useEffect(() => {
    if (fileName) return;
    void fetch(api.fileUrl(fileKey), { method: 'HEAD' }).then((response) => {
      const disposition = response.headers.get('content-disposition') ?? '';
      const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
      const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
      if (encoded) setName(decodeURIComponent(encoded));
      else if (plain) setName(plain);
    });
  }, [fileKey, fileName]);
  const shown = name ?? fileKey;
  return (
    <a class="file-bubble" href={api.fileUrl(fileKey)} download={shown} data-testid="file">
      <span class="file-icon">{fileIcon(shown)}</span>
      <span class="file-name" title={shown}>
        {shown}
      </span>
      <span class="file-action">下载</span>
    </a>
  );
}

function fileIcon(name: string): string {
  if (/\.docx?$/i.test(name)) return 'W';
  if (/\.xlsx?$/i.test(name)) return 'X';
  if (/\.ya?ml$/i.test(name)) return 'Y';
  return 'F';
}

/**
 * Text message content: `<at user_id="ou_x">名字</at>` from the bot, `@_user_1` placeholders in
 * what a person sent (the page @-mentions the bot in groups), links kept clickable.
 */
function Text({ text, fromUser }: { text: string; fromUser: boolean }) {
  const people = usePeople();
  const parts: ComponentChildren[] = [];
  const pattern = /<at (?:user_id|id|open_id)=["']?([^"'>\s]+)["']?>([^<]*)<\/at>|@_user_\d+|https?:\/\/[^\s<]+/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    parts.push(text.slice(last, m.index));
    if (m[0].startsWith('<at')) {
      const id = m[1] ?? '';
      parts.push(
        <span class="mention">@{id === 'all' ? '所有人' : people.has(id) ? nameOf(people, id) : m[2] || id}</span>,
      );
    } else if (m[0].startsWith('@')) {
      parts.push(<span class="mention">@{fromUser ? '河湖长助手' : m[0]}</span>);
    } else {
      parts.push(
        <a href={m[0]} target="_blank" rel="noreferrer">
          {m[0]}
        </a>,
      );
    }
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(text.slice(last));
  return <span class="text">{parts}</span>;
}

/** Rich text (`post`), with or without a locale wrapper (`{ zh_cn: { title, content } }`). */
function Post({ post }: { post: Json }) {
  const people = usePeople();
  const body = Array.isArray(post.content)
    ? post
    : isObject(post.zh_cn)
      ? post.zh_cn
      : (Object.values(post).find(isObject) ?? {});
  const title = str(body.title);
  const lines = Array.isArray(body.content) ? body.content : [];
  return (
    <div class="bubble post">
      {title && <div class="post-title">{title}</div>}
      {lines.map((line) => (
        <div class="post-line">
          {list(line).map((item) => {
            switch (item.tag) {
              case 'text':
              case 'md':
                return <span>{str(item.text) ?? ''}</span>;
              case 'a':
                return (
                  <a href={str(item.href)} target="_blank" rel="noreferrer">
                    {str(item.text) ?? str(item.href)}
                  </a>
                );
              case 'at': {
                const id = str(item.user_id) ?? '';
                return <span class="mention">@{id === 'all' ? '所有人' : nameOf(people, id)}</span>;
              }
              case 'img':
                return <span class="placeholder">[图片]</span>;
              case 'media':
                return <span class="placeholder">[视频]</span>;
              case 'emotion':
                return <span>[{str(item.emoji_type) ?? '表情'}]</span>;
              case 'hr':
                return <hr />;
              case 'code_block':
                return <pre>{str(item.text)}</pre>;
              default:
                return null;
            }
          })}
        </div>
      ))}
    </div>
  );
}
