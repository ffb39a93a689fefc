import Router from '@koa/router';
import * as lark from '@larksuiteoapi/node-sdk';
import type Koa from 'koa';
import { z } from 'zod';
import { WorkCalendar } from '../domain/time/work-calendar.js';
import { addDays, fromLocal, toLocal } from '../domain/time/zoned.js';
import { FeishuContacts } from '../feishu/contacts.js';
import { cardAction, messageReceived, postSigned } from '../feishu/fake/event-builders.js';
import type { FakeFeishu, FakeMessage } from '../feishu/fake/fake-feishu.js';
import { p2pChatIdFor } from '../feishu/fake/fake-ids.js';
import { feishuClient } from '../feishu/sdk-client.js';
import { readRawBody } from '../http/raw-body.js';
import type { Logger } from '../log/logger.js';
import { sdkLogger } from '../main/sdk-logger.js';
import type { RunningBot } from '../main/start-bot.js';
import { DirectoryStore } from '../store/directory-store.js';
import { type DirectorySource, importDirectory } from '../workflows/directory/import-directory.js';
import { summariseImport } from '../workflows/directory/import-summary.js';
import type { LocalClock } from './local-clock.js';
import { localGroupChats, localPeople } from './local-directory.js';
import type { LocalSession } from './local-feishu.js';
import type { MessageLog } from './message-log.js';

/**
 * The trial page's API (see README-api.md), served only in local mode. Whatever changes state
 * goes the way Feishu would send it: sealed events and card callbacks posted to the bot's own
 * webhook routes; what the bot sent is read back from the fake platform.
 */

/** Files sent from the page: Feishu takes files up to 30 MB (im/v1/files), base64 adds a third. */
const MAX_API_BODY_BYTES = 42 * 1024 * 1024;
const BOT_NAME = '河湖长助手';

export interface LocalApiDeps {
  fake: FakeFeishu;
  clock: LocalClock;
  session: Pick<LocalSession, 'appId' | 'appSecret' | 'verificationToken' | 'encryptKey'>;
  log: MessageLog;
  timeZone: string;
  logger: Logger;
}

const SendSchema = z.object({
  as: z.string().min(1),
  chatId: z.string().min(1),
  text: z.string().optional(),
  /** The message whose thread this replies in. */
  rootId: z.string().optional(),
  file: z.object({ name: z.string().min(1), base64: z.string() }).optional(),
});
const TapSchema = z.object({
  as: z.string().min(1),
  messageId: z.string().min(1),
  chatId: z.string().min(1),
  value: z.record(z.string(), z.unknown()).default({}),
  formValue: z.record(z.string(), z.unknown()).optional(),
  inputValue: z.string().optional(),
  option: z.string().optional(),
  options: z.array(z.string()).optional(),
  name: z.string().optional(),
});
const ReadSchema = z.object({ as: z.string().min(1), chatId: z.string().min(1) });
const ClockSchema = z
  .object({ to: z.iso.datetime({ offset: true }).optional(), nextWorkday9: z.boolean().optional() })
  .refine((b) => b.to !== undefined || b.nextWorkday9 === true, { message: 'give `to` or `nextWorkday9: true`' });
const ImportSchema = z.object({ fileName: z.string().min(1), base64: z.string(), dryRun: z.boolean().optional() });

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly zh: string,
  ) {
    super(code);
  }
}

async function body<T>(ctx: Koa.Context, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = JSON.parse((await readRawBody(ctx.req, MAX_API_BODY_BYTES)).toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', '请求内容不是有效的 JSON。');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', `请求内容不完整：${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The next 09:00 on a working day (the directory's calendar) after `now`, in the bot's zone. */
export function nextWorkday9(now: Date, timeZone: string, calendar: WorkCalendar): Date {
  const today = toLocal(now, timeZone);
  for (let day = { year: today.year, month: today.month, day: today.day }, i = 0; i < 400; i++) {
    const at = fromLocal({ ...day, hour: 9, minute: 0 }, timeZone);
    if (at.getTime() > now.getTime() && calendar.isWorkingDay(day)) return at;
    day = addDays(day, 1);
  }
  throw new Error('no working day within a year');
}

export class LocalApi {
  private bot: RunningBot | undefined;
  private readonly directory = (): DirectoryStore => new DirectoryStore(this.running().models, this.deps.clock);

  constructor(private readonly deps: LocalApiDeps) {}

  /** Binds the running bot once it listens; until then the API answers 503. */
  attach(bot: RunningBot): void {
    this.bot = bot;
  }

  private running(): RunningBot {
    if (!this.bot) throw new ApiError(503, 'starting', '机器人正在启动，请稍候再试。');
    return this.bot;
  }

  /** Waits until the events taken so far are handled and what they sent is delivered. */
  async settle(): Promise<void> {
    const bot = this.running();
    await bot.intake.idle();
    await bot.outbox.worker.drain();
  }

  private senderName(openId: string | undefined, names: Map<string, string>): string | undefined {
    return openId === undefined ? BOT_NAME : names.get(openId);
  }

  private async names(): Promise<Map<string, string>> {
    const directory = await this.directory().loadDirectory();
    return new Map(localPeople(directory).map((p) => [p.openId, p.name]));
  }

  private chatMessages(chatId: string): FakeMessage[] {
    return this.deps.fake.messages({ chatId });
  }

  routes(): Koa.Middleware {
    const router = new Router({ prefix: '/local/api' });
    const { fake, clock, log, timeZone } = this.deps;

    router.get('/people', async (ctx) => {
      ctx.body = { people: localPeople(await this.directory().loadDirectory()) };
    });

    router.get('/chats', async (ctx) => {
      const as = String(ctx.query.as ?? '');
      if (!as) throw new ApiError(400, 'invalid_request', '请用 as 指定是谁。');
      const groups = localGroupChats(await this.directory().loadDirectory()).filter((c) => c.members.includes(as));
      const p2p = p2pChatIdFor(as);
      const chats = [
        { chatId: p2p, name: BOT_NAME, kind: 'p2p' as const },
        ...groups.map((g) => ({ chatId: g.chatId, name: g.name, kind: 'group' as const })),
      ];
      ctx.body = {
        chats: chats.map((c) => ({ ...c, unread: log.unread(as, c.chatId, this.chatMessages(c.chatId)) })),
      };
    });

    router.post('/read', async (ctx) => {
      const { as, chatId } = await body(ctx, ReadSchema);
      log.markRead(as, chatId);
      ctx.body = {};
    });

    router.get('/messages', async (ctx) => {
      const chatId = String(ctx.query.chat ?? '');
      if (!chatId) throw new ApiError(400, 'invalid_request', '请用 chat 指定会话。');
      const since = Math.max(0, Number(ctx.query.since ?? 0) || 0);
      const names = await this.names();
      const items = log.changedSince(this.chatMessages(chatId), since).map((m) => ({
        index: m.change.createdSeq,
        messageId: m.messageId,
        rootId: m.rootId,
        parentId: m.parentId,
        threadId: m.threadId,
        sender:
          m.senderOpenId === undefined
            ? { kind: 'bot' as const, name: BOT_NAME }
            : { kind: 'user' as const, openId: m.senderOpenId, name: this.senderName(m.senderOpenId, names) },
        msgType: m.msgType,
        content: m.content,
        mentions: m.mentions,
        urgent: m.urgentTo.length > 0,
        urgentTo: m.urgentTo,
        updatedAt: m.change.updatedAt.toISOString(),
        createTime: m.createdAt.toISOString(),
      }));
      ctx.body = { items, next: log.next };
    });

    router.post('/send', async (ctx) => {
      const input = await body(ctx, SendSchema);
      ctx.body = await this.send(input);
    });

    router.post('/tap', async (ctx) => {
      const input = await body(ctx, TapSchema);
      ctx.body = await this.tap(input);
    });

    router.get('/files/:fileKey', (ctx) => {
      const upload = fake.upload(ctx.params.fileKey ?? '');
      if (!upload) throw new ApiError(404, 'no_such_file', '没有这个文件。');
      const name = upload.fileName ?? upload.key;
      ctx.set('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
      ctx.type = upload.contentType && upload.contentType !== 'application/octet-stream' ? upload.contentType : name;
      if (!ctx.type) ctx.type = 'application/octet-stream';
      ctx.body = upload.bytes;
    });

    router.get('/clock', (ctx) => {
      ctx.body = { now: clock.now().toISOString(), timeZone };
    });

    router.post('/clock', async (ctx) => {
      const input = await body(ctx, ClockSchema);
      ctx.body = await this.moveClock(input);
    });

    router.post('/import', async (ctx) => {
      const input = await body(ctx, ImportSchema);
      ctx.body = await this.importDirectory(input.fileName, Buffer.from(input.base64, 'base64'), input.dryRun);
    });

    const routes = router.routes() as unknown as Koa.Middleware;
    return async (ctx, next) => {
      try {
        await routes(ctx, next);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        ctx.status = error.status;
        ctx.body = { error: error.code, message: error.zh };
      }
    };
  }

  /** A person's message, kept by the fake and posted to the bot as `im.message.receive_v1`. */
  async send(input: z.infer<typeof SendSchema>): Promise<{ messageId: string }> {
    const bot = this.running();
    const { fake, session, clock } = this.deps;
    const group = input.chatId !== p2pChatIdFor(input.as);
    let msgType = 'text';
    let content: Record<string, unknown>;
    const mentions = group ? [{ key: '@_user_1', openId: fake.botOpenId, name: BOT_NAME }] : [];
    if (input.file) {
      const fileKey = fake.addFile(input.file.name, Buffer.from(input.file.base64, 'base64'));
      msgType = 'file';
      content = { file_key: fileKey, file_name: input.file.name };
    } else {
      const text = input.text?.trim();
      if (!text) throw new ApiError(400, 'invalid_request', '请输入要发送的内容。');
      // In a group the bot only hears messages that @-mention it (im.message.receive_v1 in groups).
      content = { text: group ? `@_user_1 ${text}` : text };
    }
    const stored = fake.receivePersonMessage({
      senderOpenId: input.as,
      chatId: input.chatId,
      msgType,
      content,
      rootId: input.rootId,
      parentId: input.rootId,
      mentions: msgType === 'text' && group ? mentions : undefined,
    });
    const event = messageReceived({
      messageId: stored.messageId,
      senderOpenId: input.as,
      chatId: input.chatId,
      chatType: group ? 'group' : 'p2p',
      messageType: msgType,
      content,
      mentions: msgType === 'text' ? mentions : [],
      rootId: input.rootId,
      parentId: input.rootId,
      threadId: stored.threadId,
      token: session.verificationToken,
      appId: session.appId,
      clock,
    });
    const response = await postSigned(`${bot.url}/webhook/event`, event, { encryptKey: session.encryptKey, clock });
    if (response.status !== 200)
      throw new ApiError(502, 'bot_refused', `机器人拒绝了这条消息：HTTP ${response.status} ${response.text}`);
    await this.settle();
    return { messageId: stored.messageId };
  }

  /** A tap on a card, posted to the bot as `card.action.trigger`; the answered card replaces the tapped one. */
  async tap(input: z.infer<typeof TapSchema>): Promise<{ toast?: unknown; card?: unknown }> {
    const bot = this.running();
    const { fake, session, clock } = this.deps;
    if (!fake.message(input.messageId)) throw new ApiError(404, 'no_such_message', '没有这条消息。');
    const payload = cardAction({
      operatorOpenId: input.as,
      value: input.value,
      formValue: input.formValue,
      inputValue: input.inputValue,
      option: input.option,
      options: input.options,
      name: input.name,
      messageId: input.messageId,
      chatId: input.chatId,
      verificationToken: session.verificationToken,
      appId: session.appId,
      clock,
    });
    const response = await postSigned(`${bot.url}/webhook/card`, payload, { encryptKey: session.encryptKey, clock });
    if (response.status !== 200)
      throw new ApiError(502, 'bot_refused', `机器人没有接受这次操作：HTTP ${response.status} ${response.text}`);
    const answer = (response.json ?? {}) as { toast?: unknown; card?: { type?: string; data?: unknown } };
    fake.assertCallbackAnswer(answer);
    fake.applyCallbackAnswer(input.messageId, answer);
    await this.settle();
    return {
      ...(answer.toast !== undefined && { toast: answer.toast }),
      ...(answer.card?.data !== undefined && { card: answer.card.data }),
    };
  }

  /** Moves the bot's clock forward and runs every scheduled job as at the new time. */
  async moveClock(input: { to?: string; nextWorkday9?: boolean }): Promise<{ now: string; timeZone: string }> {
    const bot = this.running();
    const { clock, timeZone } = this.deps;
    let to: Date;
    if (input.to !== undefined) to = new Date(input.to);
    else {
      const directory = await this.directory().loadDirectory();
      to = nextWorkday9(clock.now(), timeZone, new WorkCalendar(directory?.calendar));
    }
    if (!(await clock.moveTo(to)))
      throw new ApiError(400, 'clock_backwards', '时间只能向后拨：已记录的内容不能早于它们发生的时间。');
    await bot.scheduler.runAll(clock.now());
    await this.settle();
    return { now: clock.now().toISOString(), timeZone };
  }

  /** Imports a directory file into the running bot's database, resolving people through the fake. */
  async importDirectory(
    fileName: string,
    data: Buffer,
    dryRun = false,
  ): Promise<{ ok: boolean; title: string; lines: string[] }> {
    const { session, fake, logger } = this.deps;
    const source: DirectorySource = /\.xlsx$/i.test(fileName)
      ? { format: 'xlsx', data }
      : { format: 'yaml', text: data.toString('utf8') };
    const client = feishuClient({
      appId: session.appId,
      appSecret: session.appSecret,
      domain: fake.url,
      logger: sdkLogger(logger),
      loggerLevel: lark.LoggerLevel.warn,
    });
    const outcome = await importDirectory(
      source,
      { store: this.directory(), contacts: new FeishuContacts(client) },
      { dryRun },
    );
    const summary = summariseImport(outcome, { dryRun });
    return { ok: outcome.ok, title: summary.title, lines: summary.lines };
  }
}
