/**
 * The local trial API (src/local/README-api.md), typed for the page. Every call goes to the
 * bot's own `/local/api/*` routes, which post sealed events and callbacks to the real webhook.
 */

export interface Person {
  openId: string;
  name: string;
  role: string;
  unit: string;
}

export interface Chat {
  chatId: string;
  name: string;
  kind: 'p2p' | 'group';
  unread: number;
}

export interface Sender {
  kind: 'bot' | 'user';
  openId?: string;
  name?: string;
}

export interface Message {
  index: number;
  messageId: string;
  rootId?: string;
  parentId?: string;
  threadId?: string;
  sender: Sender;
  msgType: string;
  /** Raw Feishu content: the card JSON 2.0 for `interactive`, `{ text }`, a post, `{ file_key, file_name }`, … */
  content: unknown;
  urgent: boolean;
  updatedAt: string;
  createTime: string;
}

export interface Toast {
  type?: 'info' | 'success' | 'error' | 'warning';
  content?: string;
}

export interface TapRequest {
  as: string;
  messageId: string;
  chatId: string;
  value: unknown;
  formValue?: Record<string, unknown>;
  inputValue?: string;
  option?: string;
  options?: string[];
  name?: string;
}

export interface TapAnswer {
  toast?: Toast;
  card?: unknown;
}

export interface ClockState {
  now: string;
  timeZone: string;
}

/** An API refusal: `message` is Chinese text to show as it is. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init?: { method: 'POST'; body: unknown }): Promise<T> {
  const response = await fetch(
    path,
    init
      ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
      : undefined,
  );
  const text = await response.text();
  const body = (text ? JSON.parse(text) : {}) as T & { error?: string; message?: string };
  if (!response.ok) {
    throw new ApiError(body.error ?? String(response.status), body.message ?? `请求失败（${response.status}）`);
  }
  return body;
}

const q = encodeURIComponent;

export const api = {
  people: () => call<{ people: Person[] }>('/local/api/people').then((r) => r.people),
  chats: (as: string) => call<{ chats: Chat[] }>(`/local/api/chats?as=${q(as)}`).then((r) => r.chats),
  messages: (chatId: string, since: number) =>
    call<{ items: Message[]; next: number }>(`/local/api/messages?chat=${q(chatId)}&since=${since}`),
  read: (as: string, chatId: string) => call<unknown>('/local/api/read', { method: 'POST', body: { as, chatId } }),
  send: (body: {
    as: string;
    chatId: string;
    text?: string;
    rootId?: string;
    file?: { name: string; base64: string };
  }) => call<{ messageId: string }>('/local/api/send', { method: 'POST', body }),
  tap: (body: TapRequest) => call<TapAnswer>('/local/api/tap', { method: 'POST', body }),
  clock: () => call<ClockState>('/local/api/clock'),
  moveClock: (body: { to: string } | { nextWorkday9: true }) =>
    call<ClockState>('/local/api/clock', { method: 'POST', body }),
  fileUrl: (fileKey: string) => `/local/api/files/${q(fileKey)}`,
};
