import { z } from 'zod';
import { messageIdFromCallbackToken } from './callback-token.js';
import { refuseCard } from './card-checks.js';
import { p2pChatIdFor } from './fake-ids.js';
import { reachRefusal } from './fake-reach.js';
import type { FakeMessage } from './fake-types.js';
import { ErrorCode, fail, ok, type RouteReply, validate } from './feishu-replies.js';
import type { Route, RouteDeps, RouteRequest } from './route-types.js';

/**
 * im/v1 message routes (create, reply, patch, urgent, get) and the delayed card update,
 * answering with the fields Feishu returns for a message.
 */

/**
 * `uuid` de-duplicates a create or reply for an hour and is at most 50 characters (发送消息 ›
 * 请求体 › uuid, "最大长度：50 字符", https://open.feishu.cn/document/server-docs/im-v1/message/create ;
 * the same field of 回复消息, https://open.feishu.cn/document/server-docs/im-v1/message/reply ).
 */
const Uuid = z.string().max(50).optional();
const CreateBody = z.object({
  receive_id: z.string().min(1),
  msg_type: z.string().min(1),
  content: z.string().min(1),
  uuid: Uuid,
});
const CreateQuery = z.object({
  receive_id_type: z.enum(['open_id', 'union_id', 'user_id', 'email', 'chat_id']),
});
const ReplyBody = z.object({
  msg_type: z.string().min(1),
  content: z.string().min(1),
  reply_in_thread: z.boolean().optional(),
  uuid: Uuid,
});
const PatchBody = z.object({ content: z.string().min(1) });
const UrgentQuery = z.object({ user_id_type: z.enum(['open_id', 'union_id', 'user_id']) });
const UrgentBody = z.object({ user_id_list: z.array(z.string().min(1)).min(1).max(200) });
const CardUpdateBody = z.object({ token: z.string().min(1), card: z.record(z.string(), z.unknown()) });

/**
 * A message can be patched for 14 days after it was sent, at most 5 times a second
 * (更新应用发送的消息卡片, 使用限制: "仅支持更新 14 天内发送的消息", "单条消息更新频控为 5 QPS":
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch).
 * Past the window Feishu answers 400 / 230031 "Message has expired when updating message, ext=Message
 * can only be updated within fourteen days." (as logged in https://github.com/deepcoldy/botmux/pull/1441);
 * over the rate 400 / 230020, its frequency-limit code.
 */
const PATCH_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const PATCHES_PER_SECOND = 5;

/** Feishu's size caps: 150 KB for text, 30 KB for cards and rich text. */
function contentLimit(msgType: string): number {
  return msgType === 'text' ? 150 * 1024 : 30 * 1024;
}

type ParsedContent = { ok: true; content: unknown } | { ok: false; reply: RouteReply };

function parseContent(msgType: string, raw: string): ParsedContent {
  if (Buffer.byteLength(raw, 'utf8') > contentLimit(msgType)) {
    return {
      ok: false,
      reply: fail(400, ErrorCode.contentTooLong, 'The length of the message content reaches its limit.'),
    };
  }
  try {
    return { ok: true, content: JSON.parse(raw) as unknown };
  } catch {
    return {
      ok: false,
      reply: fail(400, ErrorCode.invalidMessageRequest, 'invalid message content: content must be a JSON string'),
    };
  }
}

function notFound(messageId: string | undefined): RouteReply {
  return fail(400, ErrorCode.invalidMessageRequest, `message not found: ${messageId ?? ''}`);
}

/** The message object Feishu returns from create, reply and get. */
export function messageView(m: FakeMessage, deps: RouteDeps): Record<string, unknown> {
  const millis = String(m.createdAt.getTime());
  return {
    message_id: m.messageId,
    root_id: m.rootId,
    parent_id: m.parentId,
    thread_id: m.threadId,
    msg_type: m.msgType,
    create_time: millis,
    update_time: millis,
    deleted: false,
    updated: m.updates.length > 0,
    chat_id: m.chatId,
    sender:
      m.senderOpenId === undefined
        ? { id: deps.appId ?? 'cli_fake', id_type: 'app_id', sender_type: 'app', tenant_key: deps.tenantKey }
        : { id: m.senderOpenId, id_type: 'open_id', sender_type: 'user', tenant_key: deps.tenantKey },
    body: { content: m.rawContent },
    mentions: [],
  };
}

function create(req: RouteRequest, deps: RouteDeps): RouteReply {
  const query = validate(CreateQuery, req.query);
  if (!query.ok) return query.reply;
  const body = validate(CreateBody, req.json);
  if (!body.ok) return body.reply;
  const { receive_id: receiveId, msg_type: msgType, content: raw, uuid } = body.data;
  const unreachable = reachRefusal(deps.reach, deps.store, {
    receiveIdType: query.data.receive_id_type,
    receiveId,
    chatId: query.data.receive_id_type === 'chat_id' ? receiveId : undefined,
  });
  if (unreachable) return unreachable;
  // A repeated uuid answers with the first message and sends nothing, as Feishu does for an hour.
  const earlier = deps.store.messageByUuid(uuid);
  if (earlier) return ok(messageView(earlier, deps));
  const parsed = parseContent(msgType, raw);
  if (!parsed.ok) return parsed.reply;
  const refused = msgType === 'interactive' ? refuseCard(parsed.content) : undefined;
  if (refused) return refused;
  const receiveIdType = query.data.receive_id_type;
  return storeNewMessage(deps, {
    receiveIdType,
    receiveId,
    // A message to a person lands in the bot's p2p chat with them; give that chat a stable id.
    chatId: receiveIdType === 'chat_id' ? receiveId : p2pChatIdFor(receiveId),
    msgType,
    content: parsed.content,
    rawContent: raw,
    uuid,
  });
}

/** Keeps a message the bot created or replied with, tells local mode, and answers as Feishu does. */
function storeNewMessage(
  deps: RouteDeps,
  fields: Omit<FakeMessage, 'messageId' | 'createdAt' | 'updates' | 'urgentTo'>,
): RouteReply {
  const message: FakeMessage = {
    ...fields,
    messageId: deps.store.nextMessageId(),
    createdAt: deps.clock.now(),
    updates: [],
    urgentTo: [],
  };
  deps.store.addMessage(message);
  deps.notify(message);
  return ok(messageView(message, deps));
}

/** Downloads a file or image sent in a message, as bytes (the SDK streams it). */
function resource(req: RouteRequest, deps: RouteDeps): RouteReply {
  const upload = deps.store.upload(req.params.fileKey ?? '');
  if (!upload) return fail(400, ErrorCode.resourceNotFound, 'resource not found');
  return {
    status: 200,
    body: undefined,
    raw: upload.bytes,
    headers: { 'content-type': upload.contentType ?? 'application/octet-stream' },
  };
}

function reply(req: RouteRequest, deps: RouteDeps): RouteReply {
  const parentId = req.params.messageId ?? '';
  const body = validate(ReplyBody, req.json);
  if (!body.ok) return body.reply;
  const { msg_type: msgType, content: raw, uuid, reply_in_thread: replyInThread } = body.data;
  const unreachable = reachRefusal(deps.reach, deps.store, { chatId: deps.store.message(parentId)?.chatId });
  if (unreachable) return unreachable;
  const earlier = deps.store.messageByUuid(uuid);
  if (earlier) return ok(messageView(earlier, deps));
  const parsed = parseContent(msgType, raw);
  if (!parsed.ok) return parsed.reply;
  const refused = msgType === 'interactive' ? refuseCard(parsed.content) : undefined;
  if (refused) return refused;
  // The parent is usually a user's message the fake never saw; then only its id is known.
  const parent = deps.store.message(parentId);
  let threadId = parent?.threadId;
  if (replyInThread === true && threadId === undefined) {
    threadId = deps.store.nextThreadId();
    if (parent) parent.threadId = threadId;
  }
  return storeNewMessage(deps, {
    chatId: parent?.chatId,
    rootId: parent?.rootId ?? parentId,
    parentId,
    threadId,
    replyInThread,
    msgType,
    content: parsed.content,
    rawContent: raw,
    uuid,
  });
}

function patch(req: RouteRequest, deps: RouteDeps): RouteReply {
  const message = deps.store.message(req.params.messageId ?? '');
  if (!message) return notFound(req.params.messageId);
  if (message.msgType !== 'interactive') {
    return fail(400, ErrorCode.invalidMessageRequest, 'This message is NOT a card, only cards can be patched.');
  }
  const body = validate(PatchBody, req.json);
  if (!body.ok) return body.reply;
  if (deps.clock.now().getTime() - message.createdAt.getTime() > PATCH_WINDOW_MS) {
    return fail(
      400,
      ErrorCode.messageExpired,
      'Message has expired when updating message, ext=Message can only be updated within fourteen days.',
    );
  }
  if (!deps.store.takePatchSlot(message.messageId, deps.rateNow(), PATCHES_PER_SECOND)) {
    return fail(
      400,
      ErrorCode.frequencyLimited,
      'request trigger frequency limit, ext=a message can be updated at most 5 times per second',
    );
  }
  const parsed = parseContent(message.msgType, body.data.content);
  if (!parsed.ok) return parsed.reply;
  const refused = refuseCard(parsed.content);
  if (refused) return refused;
  deps.store.updateContent(message, parsed.content, body.data.content);
  deps.notify(message);
  return ok({});
}

function urgent(req: RouteRequest, deps: RouteDeps): RouteReply {
  const query = validate(UrgentQuery, req.query);
  if (!query.ok) return query.reply;
  const body = validate(UrgentBody, req.json);
  if (!body.ok) return body.reply;
  const message = deps.store.message(req.params.messageId ?? '');
  if (!message) return notFound(req.params.messageId);
  message.urgentTo.push(...body.data.user_id_list);
  deps.notify(message);
  return ok({ invalid_user_id_list: [] });
}

function get(req: RouteRequest, deps: RouteDeps): RouteReply {
  const message = deps.store.message(req.params.messageId ?? '');
  if (!message) return notFound(req.params.messageId);
  return ok({ items: [messageView(message, deps)] });
}

function cardUpdate(req: RouteRequest, deps: RouteDeps): RouteReply {
  const body = validate(CardUpdateBody, req.json);
  if (!body.ok) return body.reply;
  const { token, card } = body.data;
  // The delayed update takes the same card JSON and the same 30 KB cap
  // (延时更新消息卡片: https://open.feishu.cn/document/ukTMukTMukTM/uMDO1YjLzgTN24yM4UjN).
  const refused = refuseCard(card);
  if (refused) return refused;
  const messageId = deps.store.callbackTokenMessage(token) ?? messageIdFromCallbackToken(token);
  deps.store.cardUpdates.push({ token, card, messageId, at: deps.clock.now() });
  const message = messageId === undefined ? undefined : deps.store.message(messageId);
  if (message) {
    deps.store.updateContent(message, card, JSON.stringify(card));
    deps.notify(message);
  }
  return ok({});
}

const MESSAGE = '(?<messageId>[^/]+)';

export const messageRoutes: Route[] = [
  { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages$/, authenticated: true, handle: create },
  {
    method: 'GET',
    pattern: new RegExp(`^/open-apis/im/v1/messages/${MESSAGE}/resources/(?<fileKey>[^/]+)$`),
    authenticated: true,
    handle: resource,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/open-apis/im/v1/messages/${MESSAGE}/reply$`),
    authenticated: true,
    handle: reply,
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/open-apis/im/v1/messages/${MESSAGE}/urgent_app$`),
    authenticated: true,
    handle: urgent,
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/open-apis/im/v1/messages/${MESSAGE}$`),
    authenticated: true,
    handle: patch,
  },
  { method: 'GET', pattern: new RegExp(`^/open-apis/im/v1/messages/${MESSAGE}$`), authenticated: true, handle: get },
  { method: 'POST', pattern: /^\/open-apis\/interactive\/v1\/card\/update$/, authenticated: true, handle: cardUpdate },
];
