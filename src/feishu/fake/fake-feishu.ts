import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../domain/clock.js';
import type { Logger } from '../../log/logger.js';
import type { CardViolation } from '../cards/conformance.js';
import { assertCallbackAnswer, checkCallbackAnswer } from './card-checks.js';
import { chatRoutes } from './chat-routes.js';
import { type FakeChat, FakeReach, scopeRequired } from './fake-reach.js';
import { FakeStore } from './fake-store.js';
import type {
  FakeCardUpdate,
  FakeMessage,
  FakeUpload,
  FakeUser,
  FaultRule,
  MessageFilter,
  MultipartSummary,
  RecordedCall,
} from './fake-types.js';
import { DEFAULT_RATE_LIMIT_HEADERS, defaultFaultBody, ErrorCode, fail, type RouteReply } from './feishu-replies.js';
import { inspectRoutes } from './inspect-routes.js';
import { messageRoutes } from './message-routes.js';
import { type MultipartPart, multipartBoundary, parseMultipart } from './multipart.js';
import { platformRoutes } from './platform-routes.js';
import type { Route, RouteDeps, RouteRequest } from './route-types.js';
import { missingScopes } from './scope-rules.js';
import { revokeTenantTokens, tenantTokenOwner } from './tenant-tokens.js';

export type { FakeChat } from './fake-reach.js';
export type {
  FakeCardUpdate,
  FakeMessage,
  FakeUpload,
  FakeUser,
  FaultRule,
  MessageFilter,
  RecordedCall,
} from './fake-types.js';

export interface FakeFeishuOptions {
  /** 0 (an ephemeral port) when omitted. */
  port?: number;
  host?: string;
  /** When set, token requests must present exactly these credentials. */
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  botName?: string;
  tenantKey?: string;
  logger?: Logger;
  clock?: Clock;
  /** Milliseconds for rate limits such as 5 PATCHes a second per card; performance.now() when omitted. */
  rateClock?: () => number;
  /** Called for every message created or changed (patch, card update, urgent). */
  onMessage?: (message: FakeMessage) => void;
  /** Group chats to arrange up front (see addChat). */
  chats?: FakeChat[];
  /** The app's availability range (see setAvailability); everyone when omitted. */
  availability?: 'all' | string[];
  /** Scopes the tenant granted (see grantScopes); all when omitted. */
  grantedScopes?: 'all' | string[];
  /**
   * Local mode: every mobile and email is someone's account (open_id `ou_m<digits>` or
   * `ou_e_<email>`), so contact look-ups resolve a directory nobody arranged.
   */
  everyoneHasAnAccount?: boolean;
  /**
   * The platform's memory: local mode passes one restored from its data dir so chats survive a
   * restart. A fresh in-memory store when omitted (every test).
   */
  store?: FakeStore;
}

/** A message a person sends in a chat (local mode), as the event the bot receives describes it. */
export interface PersonMessage {
  senderOpenId: string;
  chatId: string;
  msgType: string;
  content: unknown;
  rootId?: string;
  parentId?: string;
  mentions?: Array<{ key: string; openId: string; name: string }>;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

const ROUTES: Route[] = [...platformRoutes, ...messageRoutes, ...chatRoutes, ...inspectRoutes];

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function summarise(parts: MultipartPart[]): MultipartSummary {
  const summary: MultipartSummary = { fields: {}, files: [] };
  for (const part of parts) {
    if (part.fileName === undefined && !part.contentType) summary.fields[part.name] = part.data.toString('utf8');
    else
      summary.files.push({
        field: part.name,
        fileName: part.fileName,
        contentType: part.contentType,
        size: part.data.length,
      });
  }
  return summary;
}

/**
 * An in-process stand-in for the Feishu open platform. The real SDK talks to it through
 * `domain: fake.url`; it keeps every message, upload and call so tests can read them
 * back, and local mode prints what the bot sends through `onMessage`.
 */
export class FakeFeishu {
  readonly url: string;
  readonly calls: RecordedCall[] = [];
  readonly botOpenId: string;
  private readonly store: FakeStore;
  private readonly reach = new FakeReach();
  private readonly rules: ActiveRule[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly deps: RouteDeps;
  private logSeq = 0;

  private constructor(
    private readonly server: Server,
    url: string,
    private readonly options: FakeFeishuOptions,
  ) {
    this.url = url;
    this.store = options.store ?? new FakeStore();
    this.botOpenId = options.botOpenId ?? 'ou_fake_bot';
    for (const chat of options.chats ?? []) this.reach.addChat(chat);
    this.store.everyoneHasAnAccount = options.everyoneHasAnAccount === true;
    if (options.availability !== undefined) this.reach.setAvailability(options.availability);
    if (options.grantedScopes !== undefined) this.reach.grantScopes(options.grantedScopes);
    this.deps = {
      store: this.store,
      reach: this.reach,
      clock: options.clock ?? systemClock,
      rateNow: options.rateClock ?? (() => performance.now()),
      appId: options.appId,
      appSecret: options.appSecret,
      bot: { openId: this.botOpenId, name: options.botName ?? '河湖长助手' },
      tenantKey: options.tenantKey ?? 'fake_tenant',
      notify: (message) => options.onMessage?.(message),
    };
  }

  static async start(options: FakeFeishuOptions = {}): Promise<FakeFeishu> {
    const server = createServer();
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const fake = new FakeFeishu(server, `http://${urlHost}:${port}`, options);
    server.on('request', (req, res) => {
      fake.serve(req, res).catch((error: unknown) => {
        options.logger?.error({ err: error }, 'fake feishu failed to answer');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 1, msg: 'fake feishu internal error' }));
      });
    });
    options.logger?.info({ url: fake.url }, 'fake feishu listening');
    return fake;
  }

  async stop(): Promise<void> {
    // The SDK's agent keeps connections alive; close them or server.close() waits for their timeout.
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  // ---- what tests read back ----

  messages(filter?: MessageFilter): FakeMessage[] {
    return this.store.messages(filter);
  }

  message(messageId: string): FakeMessage | undefined {
    return this.store.message(messageId);
  }

  /**
   * A file as if a person had sent it in a chat: returns its `file_key`, which the bot can
   * download through the message resource API. Tests then post the file message event.
   */
  addFile(fileName: string, bytes: Buffer): string {
    const key = this.store.nextUploadKey('file');
    this.store.addUpload({ key, kind: 'file', bytes, fileName, fields: {}, createdAt: new Date() });
    return key;
  }

  /**
   * A picture as if a person had sent it in a chat (an image message, or inline in a rich-text
   * post): returns its `image_key`, which the bot can download through the message resource
   * API with `type=image`. Tests then post the message event that carries the key.
   */
  addImage(bytes: Buffer, contentType = 'image/jpeg'): string {
    const key = this.store.nextUploadKey('image');
    this.store.addUpload({
      key,
      kind: 'image',
      bytes,
      type: 'message',
      contentType,
      fields: {},
      createdAt: new Date(),
    });
    return key;
  }

  /**
   * Keeps a message a person sent (local mode), so the chat shows it and the bot's replies to
   * it land in its chat and thread; returns it with its new `message_id`, which the caller
   * puts in the `im.message.receive_v1` event it posts to the bot.
   */
  receivePersonMessage(input: PersonMessage): FakeMessage {
    const parent = input.parentId === undefined ? undefined : this.store.message(input.parentId);
    // A reply in a thread continues the thread its parent is in, or opens one on the parent.
    let threadId = parent?.threadId;
    if (parent && threadId === undefined) {
      threadId = this.store.nextThreadId();
      parent.threadId = threadId;
    }
    const message: FakeMessage = {
      messageId: this.store.nextMessageId(),
      senderOpenId: input.senderOpenId,
      mentions: input.mentions,
      chatId: input.chatId,
      rootId: input.rootId,
      parentId: input.parentId,
      threadId,
      replyInThread: input.parentId !== undefined ? true : undefined,
      msgType: input.msgType,
      content: input.content,
      rawContent: JSON.stringify(input.content),
      createdAt: this.deps.clock.now(),
      updates: [],
      urgentTo: [],
    };
    this.store.addMessage(message);
    this.deps.notify(message);
    return message;
  }

  /**
   * Applies the card in a bot's answer to a tap: Feishu replaces the tapped card with it at
   * once (立即更新卡片, 处理卡片回调:
   * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/handle-card-callbacks).
   * Returns false when the message is unknown or the answer carries no card.
   */
  applyCallbackAnswer(messageId: string, answer: unknown): boolean {
    const card = (answer as { card?: { type?: unknown; data?: unknown } } | undefined)?.card;
    const message = this.store.message(messageId);
    if (!message || !card || card.type !== 'raw' || card.data === undefined) return false;
    this.store.updateContent(message, card.data, JSON.stringify(card.data));
    this.deps.notify(message);
    return true;
  }

  /** The image or file stored under an `image_key` / `file_key`. */
  upload(key: string): FakeUpload | undefined {
    return this.store.upload(key);
  }

  uploads(): FakeUpload[] {
    return this.store.uploads();
  }

  get cardUpdates(): readonly FakeCardUpdate[] {
    return this.store.cardUpdates;
  }

  callsTo(path: string | RegExp): RecordedCall[] {
    return this.calls.filter((call) => (typeof path === 'string' ? call.path.startsWith(path) : path.test(call.path)));
  }

  /**
   * What is wrong with an answer the bot gave to a card tap ([] when Feishu would accept it),
   * for the helpers that tap cards.
   */
  checkCallbackAnswer(answer: unknown): CardViolation[] {
    return checkCallbackAnswer(answer);
  }

  /** Throws, naming each violation, when Feishu would refuse this answer to a card tap. */
  assertCallbackAnswer(answer: unknown): void {
    assertCallbackAnswer(answer);
  }

  // ---- what tests arrange ----

  addUser(user: FakeUser): void {
    this.store.addUser(user);
  }

  /**
   * A group chat with its members; `botIsMember: false` makes sends to it fail with 230002
   * and is_in_chat answer false. Chats never arranged behave as ones the bot is in.
   */
  addChat(chat: FakeChat): void {
    this.reach.addChat(chat);
  }

  /** The app's 可用范围: sends to anyone else fail with 230013. `all` (the default) is everyone. */
  setAvailability(openIds: 'all' | string[]): void {
    this.reach.setAvailability(openIds);
  }

  /** Grants exactly these scopes from now on (`all`, the default, grants every one). */
  grantScopes(scopes: 'all' | string[]): void {
    this.reach.grantScopes(scopes);
  }

  /** Takes one scope away: calls that need it answer 99991672 and the scope list shows it ungranted. */
  revokeScope(scope: string): void {
    this.reach.revokeScope(scope);
  }

  /** Ties a callback token the builders did not make to the message a delayed update should change. */
  bindCallbackToken(token: string, messageId: string): void {
    this.store.bindCallbackToken(token, messageId);
  }

  /** Answers the next matching calls with this status and body instead of the normal route. */
  inject(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? (rule.until ? Number.POSITIVE_INFINITY : 1) });
  }

  /** Invalidates issued tenant tokens (this app's, or all), as if they had expired. */
  revokeTokens(): void {
    revokeTenantTokens(this.options.appId);
  }

  /** Clears messages, uploads, recorded calls and fault rules; the directory, chats, range and scopes stay. */
  reset(): void {
    this.store.reset();
    this.calls.length = 0;
    this.rules.length = 0;
  }

  /**
   * Resolves with the predicate's value once it is truthy. It is re-checked whenever a
   * call is recorded, plus on a short poll for predicates that read other state.
   */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let lastError: unknown;
      const check = (): boolean => {
        try {
          const value = predicate();
          if (!value) return false;
          finish();
          resolve(value);
          return true;
        } catch (error) {
          // A predicate reading a not-yet-sent message may throw; treat it as "not yet".
          lastError = error;
          return false;
        }
      };
      const poll = setInterval(check, 25);
      const timer = setTimeout(() => {
        finish();
        const calls = this.calls.map((c) => `  ${c.method} ${c.path} → ${c.status}${c.injected ? ' (injected)' : ''}`);
        const cause = lastError instanceof Error ? `\nlast predicate error: ${lastError.message}` : '';
        reject(
          new Error(
            `waitFor timed out after ${timeoutMs} ms; ${calls.length} recorded call(s):\n${calls.join('\n')}${cause}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearInterval(poll);
        clearTimeout(timer);
        this.listeners.delete(onCall);
      };
      const onCall = () => void check();
      this.listeners.add(onCall);
      check();
    });
  }

  // ---- serving ----

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const contentType = req.headers['content-type'];
    const boundary = multipartBoundary(contentType);

    let json: unknown;
    let parts: MultipartPart[] | undefined;
    let recordedBody: unknown;
    let reply: RouteReply | undefined;
    try {
      if (boundary !== undefined) {
        parts = parseMultipart(raw, boundary);
        recordedBody = summarise(parts);
      } else if (raw.length > 0) {
        const text = raw.toString('utf8');
        recordedBody = text; // kept as text when it turns out not to be JSON
        json = JSON.parse(text) as unknown;
        recordedBody = json;
      }
    } catch (error) {
      reply = fail(
        400,
        ErrorCode.fieldValidation,
        `malformed request body: ${error instanceof Error ? error.message : String(error)}`,
      );
    }

    const fault = this.takeFault(method, url.pathname);
    if (fault) reply = fault;
    reply ??= this.route({ method, path: url.pathname, params: {}, query, json, parts }, req.headers.authorization);

    this.logSeq += 1;
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'x-tt-logid': `fake-${this.logSeq}`,
      ...reply.headers,
    };
    res.writeHead(reply.status, headers);
    res.end(reply.raw ?? JSON.stringify(reply.body));
    this.record({
      method,
      path: url.pathname,
      query,
      body: recordedBody,
      at: this.deps.clock.now(),
      status: reply.status,
      injected: fault !== undefined,
    });
  }

  private route(request: RouteRequest, authorization: string | undefined): RouteReply {
    for (const route of ROUTES) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      if (route.authenticated) {
        const denied = this.checkToken(authorization);
        if (denied) return denied;
        const missing = missingScopes(this.reach, request.method, request.path);
        if (missing) return scopeRequired(missing, this.options.appId);
      }
      return route.handle({ ...request, params: { ...match.groups } }, this.deps);
    }
    return fail(404, 404, `fake feishu has no route for ${request.method} ${request.path}`);
  }

  private checkToken(authorization: string | undefined): RouteReply | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) {
      return fail(
        400,
        ErrorCode.missingAccessToken,
        'Missing access token for authorization. Please make a request with token attached.',
      );
    }
    const owner = tenantTokenOwner(token);
    if (owner === undefined || (this.options.appId !== undefined && owner !== this.options.appId)) {
      return fail(
        400,
        ErrorCode.invalidAccessToken,
        'Invalid access token for authorization. Please make a request with token attached.',
      );
    }
    return undefined;
  }

  private takeFault(method: string, path: string): RouteReply | undefined {
    const now = this.deps.clock.now().getTime();
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const until = this.rules[i]?.rule.until;
      if (until && now >= until.getTime()) this.rules.splice(i, 1);
    }
    const index = this.rules.findIndex(({ rule }) => {
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) return false;
      return typeof rule.path === 'string' ? path.startsWith(rule.path) : rule.path.test(path);
    });
    const active = this.rules[index];
    if (!active) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    const { status, headers, body } = active.rule;
    return {
      status,
      body: body ?? defaultFaultBody(status),
      headers: headers ?? (status === 429 ? DEFAULT_RATE_LIMIT_HEADERS : undefined),
    };
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.options.logger?.debug({ method: call.method, path: call.path, status: call.status }, 'fake feishu call');
    for (const listener of [...this.listeners]) listener();
  }
}
