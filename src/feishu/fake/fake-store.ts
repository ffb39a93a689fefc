import { userIdsFor } from './fake-ids.js';
import type { FakeCardUpdate, FakeMessage, FakeUpload, FakeUser, MessageFilter } from './fake-types.js';

/**
 * What local mode keeps of the fake platform across restarts (BOT_DATA_DIR): the chats'
 * messages with every version, thread and urgent mark, the uploads' descriptions (their bytes
 * are saved apart, once each), the callback tokens tied to cards, and the id counters, so a new
 * message never takes the id of one the bot still holds.
 */
export interface FakeStoreSnapshot {
  counters: { message: number; upload: number; thread: number };
  messages: FakeMessage[];
  uploads: Array<Omit<FakeUpload, 'bytes'>>;
  callbackTokens: Array<[token: string, messageId: string]>;
}

/**
 * The fake platform's memory: messages, uploads, the contact directory and delayed card
 * updates. Pure bookkeeping; HTTP shapes and validation live in the routes.
 */
export class FakeStore {
  private readonly messagesById = new Map<string, FakeMessage>();
  private readonly messageIdByUuid = new Map<string, string>();
  private readonly uploadsByKey = new Map<string, FakeUpload>();
  private readonly callbackTokens = new Map<string, string>();
  private readonly users: FakeUser[] = [];
  /**
   * Local mode's tenant: every mobile and email belongs to someone, whose open_id is derived
   * from it (stable across restarts), so an example directory works without real accounts.
   */
  everyoneHasAnAccount = false;
  readonly cardUpdates: FakeCardUpdate[] = [];
  private readonly patchTimes = new Map<string, number[]>();
  // Counters survive reset() so an id held from before a reset never names a new message.
  private messageSeq = 0;
  private uploadSeq = 0;
  private threadSeq = 0;

  nextMessageId(): string {
    this.messageSeq += 1;
    return `om_fake_${this.messageSeq}`;
  }

  nextThreadId(): string {
    this.threadSeq += 1;
    return `omt_fake_${this.threadSeq}`;
  }

  nextUploadKey(kind: FakeUpload['kind']): string {
    this.uploadSeq += 1;
    return kind === 'image' ? `img_v3_fake_${this.uploadSeq}` : `file_v3_fake_${this.uploadSeq}`;
  }

  addMessage(message: FakeMessage): void {
    this.messagesById.set(message.messageId, message);
    if (message.uuid) this.messageIdByUuid.set(message.uuid, message.messageId);
  }

  /** The message an earlier send with this uuid created, if any (Feishu de-duplicates on uuid). */
  messageByUuid(uuid: string | undefined): FakeMessage | undefined {
    if (!uuid) return undefined;
    const id = this.messageIdByUuid.get(uuid);
    return id === undefined ? undefined : this.messagesById.get(id);
  }

  message(messageId: string): FakeMessage | undefined {
    return this.messagesById.get(messageId);
  }

  messages(filter?: MessageFilter): FakeMessage[] {
    const all = [...this.messagesById.values()];
    if (filter === undefined) return all;
    if (typeof filter === 'function') return all.filter(filter);
    const wanted = Object.entries(filter).filter(([, value]) => value !== undefined);
    return all.filter((m) => wanted.every(([key, value]) => (m as unknown as Record<string, unknown>)[key] === value));
  }

  /** Replaces a message's content and remembers the new version in `updates`. */
  updateContent(message: FakeMessage, content: unknown, rawContent: string): void {
    message.content = content;
    message.rawContent = rawContent;
    message.updates.push(content);
  }

  /**
   * Records a PATCH of a message at `nowMs` unless `perSecond` were already made in the
   * second before it; false means the call is over the limit.
   */
  takePatchSlot(messageId: string, nowMs: number, perSecond: number): boolean {
    const recent = (this.patchTimes.get(messageId) ?? []).filter((at) => nowMs - at < 1000);
    if (recent.length >= perSecond) {
      this.patchTimes.set(messageId, recent);
      return false;
    }
    recent.push(nowMs);
    this.patchTimes.set(messageId, recent);
    return true;
  }

  addUpload(upload: FakeUpload): void {
    this.uploadsByKey.set(upload.key, upload);
  }

  upload(key: string): FakeUpload | undefined {
    return this.uploadsByKey.get(key);
  }

  uploads(): FakeUpload[] {
    return [...this.uploadsByKey.values()];
  }

  bindCallbackToken(token: string, messageId: string): void {
    this.callbackTokens.set(token, messageId);
  }

  callbackTokenMessage(token: string): string | undefined {
    return this.callbackTokens.get(token);
  }

  addUser(user: FakeUser): void {
    const at = this.users.findIndex((u) => u.openId === user.openId);
    if (at >= 0) this.users[at] = user;
    else this.users.push(user);
  }

  /** A person by one of the ids a send may name them by (union_id, user_id, email). */
  userBy(idType: string, id: string): FakeUser | undefined {
    if (idType === 'email') return this.userByEmail(id);
    return this.users.find((u) => {
      const ids = userIdsFor(u.openId, { unionId: u.unionId, userId: u.userId });
      return idType === 'union_id' ? ids.union_id === id : idType === 'user_id' ? ids.user_id === id : u.openId === id;
    });
  }

  userByMobile(mobile: string): FakeUser | undefined {
    const wanted = normaliseMobile(mobile);
    const found = this.users.find((u) => u.mobile !== undefined && normaliseMobile(u.mobile) === wanted);
    if (found || !this.everyoneHasAnAccount || !/^\d{5,}$/.test(wanted)) return found;
    return this.enrol({ openId: `ou_m${wanted}`, name: mobile, mobile });
  }

  userByEmail(email: string): FakeUser | undefined {
    const wanted = email.trim().toLowerCase();
    const found = this.users.find((u) => u.email?.trim().toLowerCase() === wanted);
    if (found || !this.everyoneHasAnAccount || !wanted.includes('@')) return found;
    return this.enrol({ openId: `ou_e_${wanted.replace(/[^a-z0-9]+/g, '_')}`, name: email, email: wanted });
  }

  private enrol(user: FakeUser): FakeUser {
    this.users.push(user);
    return user;
  }

  /** The state worth keeping across a restart (local mode); upload bytes are left to the caller. */
  snapshot(): FakeStoreSnapshot {
    return {
      counters: { message: this.messageSeq, upload: this.uploadSeq, thread: this.threadSeq },
      messages: [...this.messagesById.values()],
      uploads: [...this.uploadsByKey.values()].map(({ bytes: _bytes, ...rest }) => rest),
      callbackTokens: [...this.callbackTokens],
    };
  }

  /**
   * Puts back a snapshot written by an earlier run, with each upload's bytes read by the
   * caller. Counters only move forward, so ids made before the restore stay unique too.
   */
  restore(snapshot: FakeStoreSnapshot, bytesOf: (key: string) => Buffer | undefined): void {
    this.messageSeq = Math.max(this.messageSeq, snapshot.counters.message);
    this.uploadSeq = Math.max(this.uploadSeq, snapshot.counters.upload);
    this.threadSeq = Math.max(this.threadSeq, snapshot.counters.thread);
    for (const message of snapshot.messages) this.addMessage(message);
    for (const upload of snapshot.uploads) {
      const bytes = bytesOf(upload.key);
      if (bytes) this.addUpload({ ...upload, bytes });
    }
    for (const [token, messageId] of snapshot.callbackTokens) this.bindCallbackToken(token, messageId);
  }

  /** Forgets messages, uploads, tokens and card updates; the directory stays, as tests seed it once. */
  reset(): void {
    this.messagesById.clear();
    this.messageIdByUuid.clear();
    this.uploadsByKey.clear();
    this.callbackTokens.clear();
    this.patchTimes.clear();
    this.cardUpdates.length = 0;
  }
}

/** Feishu treats a mobile without a country code as +86; compare on the bare digits. */
function normaliseMobile(mobile: string): string {
  const digits = mobile.replace(/[\s-]/g, '');
  return digits.startsWith('+86') ? digits.slice(3) : digits.replace(/^\+/, '');
}
