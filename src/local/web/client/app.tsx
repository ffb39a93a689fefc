import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api, type Chat, type ClockState, type Person } from './api.js';
import { ChatView } from './chat-view.js';
import { ClockPanel } from './clock-panel.js';
import { PeopleContext } from './people.js';
import { ToastHost } from './toast.js';

const CHATS_POLL_MS = 2000;
const CLOCK_POLL_MS = 10_000;

/** Who and which chat, kept in the address so a reload (or a shared link) opens the same view. */
function readLocation(): { as?: string; chat?: string } {
  const params = new URLSearchParams(location.search);
  return { as: params.get('as') ?? localStorage.getItem('as') ?? undefined, chat: params.get('chat') ?? undefined };
}

function writeLocation(as: string | undefined, chat: string | undefined): void {
  const params = new URLSearchParams();
  if (as) params.set('as', as);
  if (chat) params.set('chat', chat);
  history.replaceState(null, '', `?${params.toString()}`);
  if (as) localStorage.setItem('as', as);
}

/** The trial page: who am I, my chats, the open chat, and the bot's clock. */
export function App() {
  const initial = useMemo(readLocation, []);
  const [people, setPeople] = useState<Person[] | undefined>();
  const [me, setMe] = useState<string | undefined>(initial.as);
  const [chats, setChats] = useState<Chat[]>([]);
  const [chatId, setChatId] = useState<string | undefined>(initial.chat);
  const [clock, setClock] = useState<ClockState | undefined>();
  const [picking, setPicking] = useState(false);
  /** Counts clock moves: the open chat fetches at once what the jobs sent, and says when it has. */
  const [moves, setMoves] = useState(0);

  useEffect(() => {
    void api.people().then(setPeople);
    const tick = () => void api.clock().then(setClock, () => undefined);
    tick();
    const timer = setInterval(tick, CLOCK_POLL_MS);
    return () => clearInterval(timer);
  }, []);

  const byId = useMemo(() => new Map((people ?? []).map((p) => [p.openId, p])), [people]);
  const person = me ? byId.get(me) : undefined;

  const loadChats = useCallback(() => {
    if (!me) return;
    void api.chats(me).then(setChats, () => undefined);
  }, [me]);
  useEffect(() => {
    loadChats();
    const timer = setInterval(loadChats, CHATS_POLL_MS);
    return () => clearInterval(timer);
  }, [loadChats]);

  // The first chat (the direct chat with the bot) opens when none is chosen or the chosen one is not this person's.
  useEffect(() => {
    if (chats.length > 0 && !chats.some((c) => c.chatId === chatId)) setChatId(chats[0]?.chatId);
  }, [chats, chatId]);
  useEffect(() => writeLocation(me, chatId), [me, chatId]);

  const chat = chats.find((c) => c.chatId === chatId);
  const showPicker = picking || (people !== undefined && !person);

  return (
    <PeopleContext.Provider value={byId}>
      <div class="app">
        <header class="topbar">
          <div class="brand">
            河湖长助手 <span class="brand-sub">本地体验 · 模拟飞书</span>
          </div>
          <ClockPanel
            clock={clock}
            moves={moves}
            onMoved={(c) => {
              setClock(c);
              setMoves((n) => n + 1);
              loadChats();
            }}
          />
        </header>
        <div class="workspace">
          <aside class="sidebar">
            <button type="button" class="identity" onClick={() => setPicking(true)} aria-label="切换身份">
              {person ? (
                <>
                  <span class="avatar">{person.name.slice(-2)}</span>
                  <span class="identity-text">
                    <span class="identity-name" data-testid="me">
                      {person.name}
                    </span>
                    <span class="identity-role">{person.role}</span>
                  </span>
                  <span class="identity-switch">切换</span>
                </>
              ) : (
                <span>选择身份</span>
              )}
            </button>
            <nav class="chat-list" aria-label="会话">
              {chats.map((c) => (
                <button
                  type="button"
                  class={`chat-item${c.chatId === chatId ? ' active' : ''}`}
                  data-chat-id={c.chatId}
                  onClick={() => setChatId(c.chatId)}
                >
                  <span class={`avatar ${c.kind}`}>{c.kind === 'p2p' ? '河' : c.name.slice(0, 1)}</span>
                  <span class="chat-name">{c.name}</span>
                  {c.unread > 0 && c.chatId !== chatId && (
                    <span class="unread" aria-label={`${c.unread} 条未读`}>
                      {c.unread > 99 ? '99+' : c.unread}
                    </span>
                  )}
                </button>
              ))}
            </nav>
          </aside>
          <main class="main">
            {person && chat ? (
              <ChatView
                key={`${person.openId}:${chat.chatId}`}
                me={person}
                chat={chat}
                clock={clock}
                moves={moves}
                onActivity={loadChats}
              />
            ) : (
              <div class="empty">请先在左上角选择身份。</div>
            )}
          </main>
        </div>
        {showPicker && people && (
          <IdentityPicker
            people={people}
            onPick={(p) => {
              setMe(p.openId);
              setChatId(undefined);
              setChats([]);
              setPicking(false);
            }}
            onClose={person ? () => setPicking(false) : undefined}
          />
        )}
        <ToastHost />
      </div>
    </PeopleContext.Provider>
  );
}

/** Who am I: anyone in the directory, with role and unit, filtered by what is typed. */
function IdentityPicker(props: { people: Person[]; onPick: (p: Person) => void; onClose?: () => void }) {
  const [filter, setFilter] = useState('');
  const shown = props.people.filter((p) => `${p.name}${p.role}${p.unit}`.includes(filter.trim()));
  return (
    <div class="modal-mask" onClick={props.onClose}>
      <div class="modal picker" role="dialog" aria-label="选择身份" onClick={(e) => e.stopPropagation()}>
        <div class="modal-title">选择身份：以谁的身份体验？</div>
        <input
          class="input"
          aria-label="搜索姓名、职务或单位"
          placeholder="搜索姓名、职务或单位"
          value={filter}
          onInput={(e) => setFilter(e.currentTarget.value)}
        />
        <ul class="people-list">
          {shown.map((p) => (
            <li>
              <button type="button" class="person-row" data-open-id={p.openId} onClick={() => props.onPick(p)}>
                <span class="avatar">{p.name.slice(-2)}</span>
                <span class="person-name">{p.name}</span>
                <span class="person-role">{p.role}</span>
                <span class="person-unit">{p.unit}</span>
              </button>
            </li>
          ))}
          {shown.length === 0 && <li class="empty">没有匹配的人员</li>}
        </ul>
      </div>
    </div>
  );
}
