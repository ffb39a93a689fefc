import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, api, type Chat, type ClockState, type Message, type Person } from './api.js';
import { type CardAction, type CardEnv, CardEnvContext } from './card/context.js';
import { isObject, str, textOf } from './card/json.js';
import { MessageContent } from './message.js';
import { nameOf, usePeople } from './people.js';
import { formatTime, utcOffset } from './time.js';
import { showToast } from './toast.js';

const POLL_MS = 1000;

/**
 * One chat as the chosen person sees it: messages in order, each thread under the message that
 * started it, a composer that sends as that person (in a thread when replying), and cards that
 * answer taps and update in place.
 */
export function ChatView(props: {
  me: Person;
  chat: Chat;
  clock: ClockState | undefined;
  /** How often the clock was moved; each move fetches what the scheduled jobs sent. */
  moves: number;
  onActivity: () => void;
}) {
  const { me, chat, clock, moves, onActivity } = props;
  const [syncedMoves, setSyncedMoves] = useState(moves);
  const [messages, setMessages] = useState(new Map<string, Message>());
  const [replyTo, setReplyTo] = useState<Message | undefined>();
  const cursor = useRef(0);
  const bottom = useRef<HTMLDivElement>(null);
  const polling = useRef<Promise<void> | undefined>(undefined);

  const poll = useCallback(async () => {
    // One request at a time; a later caller waits for the one in flight, then asks again.
    while (polling.current) await polling.current;
    const run = (async () => {
      const { items, next } = await api.messages(chat.chatId, cursor.current);
      cursor.current = next;
      if (items.length === 0) return;
      setMessages((old) => {
        const map = new Map(old);
        for (const item of items) map.set(item.messageId, item);
        return map;
      });
      await api.read(me.openId, chat.chatId);
      onActivity();
    })();
    polling.current = run;
    try {
      await run;
    } catch {
      // The bot may be restarting; the next tick tries again.
    } finally {
      polling.current = undefined;
    }
  }, [chat.chatId, me.openId, onActivity]);

  useEffect(() => {
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  useEffect(() => {
    void poll().then(() => setSyncedMoves(moves));
  }, [moves, poll]);

  const ordered = useMemo(() => [...messages.values()].sort((a, b) => a.index - b.index), [messages]);
  const count = ordered.length;
  useEffect(() => bottom.current?.scrollIntoView({ block: 'end' }), [count]);

  // A reply in a thread (话题) sits under the message that started it; a plain reply (the bot
  // answering a command) stays in the chat's stream with a quote of what it answers, as in Feishu.
  // A person replying from this page always replies in the thread (README-api: `rootId`).
  const { roots, threads } = useMemo(() => {
    const threadRoots = new Set(
      ordered.filter((m) => m.rootId && (m.threadId || m.sender.kind === 'user')).map((m) => m.rootId as string),
    );
    const threads = new Map<string, Message[]>();
    const roots: Message[] = [];
    for (const m of ordered) {
      if (m.rootId && messages.has(m.rootId) && threadRoots.has(m.rootId))
        threads.set(m.rootId, [...(threads.get(m.rootId) ?? []), m]);
      else roots.push(m);
    }
    return { roots, threads };
  }, [ordered, messages]);

  const env = (message: Message): CardEnv => ({
    offset: clock ? utcOffset(clock.now, clock.timeZone) : '+0800',
    act: async (action: CardAction) => {
      try {
        const answer = await api.tap({ as: me.openId, messageId: message.messageId, chatId: chat.chatId, ...action });
        if (answer.toast?.content) showToast(answer.toast);
        if (isObject(answer.card)) {
          setMessages((old) => {
            const current = old.get(message.messageId);
            return current ? new Map(old).set(message.messageId, { ...current, content: answer.card }) : old;
          });
        }
        void poll();
        return answer;
      } catch (error) {
        showToast({ type: 'error', content: error instanceof ApiError ? error.message : '操作失败，请重试' });
        return undefined;
      }
    },
  });

  const renderMessage = (m: Message, inThread: boolean) => (
    <MessageRow
      key={`${m.messageId}:${m.updatedAt}:${JSON.stringify(m.content).length}`}
      message={m}
      quoted={!inThread && m.parentId ? messages.get(m.parentId) : undefined}
      clock={clock}
      env={env(m)}
      onReply={inThread ? undefined : () => setReplyTo(m)}
    />
  );

  return (
    <section class="chat-view" aria-label={chat.name}>
      <header class="chat-header">
        <span class="chat-title">{chat.name}</span>
        <span class="chat-kind">{chat.kind === 'p2p' ? '单聊' : '群聊'}</span>
      </header>
      <div class="message-list" data-testid="messages" data-synced-moves={syncedMoves}>
        {roots.length === 0 && <div class="empty">还没有消息。发送 /帮助 看看机器人能做什么。</div>}
        {roots.map((root) => {
          const replies = threads.get(root.messageId) ?? [];
          return (
            <div class="message-group" data-message-id={root.messageId}>
              {renderMessage(root, false)}
              {replies.length > 0 && (
                <div class="thread" data-testid="thread">
                  <div class="thread-label">话题 · {replies.length} 条回复</div>
                  {replies.map((r) => renderMessage(r, true))}
                  <button type="button" class="thread-reply" onClick={() => setReplyTo(root)}>
                    回复话题
                  </button>
                </div>
              )}
            </div>
          );
        })}
        <div ref={bottom} />
      </div>
      <Composer
        me={me}
        chat={chat}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(undefined)}
        onSent={() => {
          setReplyTo(undefined);
          void poll();
        }}
      />
    </section>
  );
}

function MessageRow(props: {
  message: Message;
  quoted?: Message;
  clock: ClockState | undefined;
  env: CardEnv;
  onReply?: () => void;
}) {
  const { message, quoted, clock, env, onReply } = props;
  const people = usePeople();
  const fromBot = message.sender.kind === 'bot';
  const name = senderName(message, people);
  return (
    <div class={`message ${fromBot ? 'from-bot' : 'from-user'}`} data-testid="message" data-msg-type={message.msgType}>
      <div class={`avatar${fromBot ? ' bot' : ''}`}>{fromBot ? '河' : name.slice(-2)}</div>
      <div class="message-main">
        <div class="message-meta">
          <span class="sender">{name}</span>
          {fromBot && <span class="bot-tag">机器人</span>}
          <span class="time">{clock ? formatTime(message.createTime, clock.timeZone, false) : ''}</span>
          {message.urgent && (
            <span class="urgent" title="加急">
              加急
            </span>
          )}
        </div>
        {quoted && (
          <div class="quote">
            回复 {senderName(quoted, people)}：{summary(quoted)}
          </div>
        )}
        <CardEnvContext.Provider value={env}>
          <MessageContent message={message} />
        </CardEnvContext.Provider>
        {onReply && (
          <button type="button" class="reply-button" onClick={onReply}>
            回复
          </button>
        )}
      </div>
    </div>
  );
}

function senderName(message: Message, people: Map<string, Person>): string {
  if (message.sender.kind === 'bot') return '河湖长助手';
  return message.sender.name ?? (message.sender.openId ? nameOf(people, message.sender.openId) : '成员');
}

/** A short line naming the message being replied to. */
function summary(message: Message): string {
  const content = isObject(message.content) ? message.content : {};
  if (message.msgType === 'interactive') {
    const header = isObject(content.header) ? content.header : {};
    return `[卡片] ${textOf(header.title)}`;
  }
  if (message.msgType === 'file') return `[文件] ${str(content.file_name) ?? ''}`;
  return (str(content.text) ?? `[${message.msgType}]`).replace(/<[^>]+>/g, '').slice(0, 40);
}

function Composer(props: {
  me: Person;
  chat: Chat;
  replyTo: Message | undefined;
  onCancelReply: () => void;
  onSent: () => void;
}) {
  const { me, chat, replyTo } = props;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (replyTo) input.current?.focus();
  }, [replyTo]);

  const send = async (body: { text?: string; file?: { name: string; base64: string } }) => {
    setBusy(true);
    try {
      await api.send({ as: me.openId, chatId: chat.chatId, rootId: replyTo?.messageId, ...body });
      setText('');
      props.onSent();
    } catch (error) {
      showToast({ type: 'error', content: error instanceof ApiError ? error.message : '发送失败' });
    } finally {
      setBusy(false);
    }
  };
  const sendFile = async (file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    await send({ file: { name: file.name, base64: btoa(binary) } });
  };

  return (
    <div class="composer">
      {replyTo && (
        <div class="reply-banner" data-testid="reply-banner">
          <span>回复话题：{summary(replyTo)}</span>
          <button type="button" class="link-button" onClick={props.onCancelReply}>
            取消
          </button>
        </div>
      )}
      <div class="composer-row">
        <button
          type="button"
          class="btn btn-text attach"
          title="发送文件（如组织名录 .xlsx / .yaml）"
          disabled={busy}
          onClick={() => fileInput.current?.click()}
        >
          发送文件
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void sendFile(file);
          }}
        />
        <textarea
          ref={input}
          class="composer-input"
          aria-label="输入消息"
          placeholder={replyTo ? '回复话题…（Enter 发送）' : `发送给 ${chat.name}（Enter 发送，Shift+Enter 换行）`}
          rows={2}
          value={text}
          disabled={busy}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              if (text.trim()) void send({ text });
            }
          }}
        />
        <button
          type="button"
          class="btn btn-primary_filled"
          disabled={busy || !text.trim()}
          onClick={() => void send({ text })}
        >
          发送
        </button>
      </div>
    </div>
  );
}
