import { z } from 'zod';
import { userIdsFor } from './fake-ids.js';
import type { FakeUpload, FakeUser } from './fake-types.js';
import { ErrorCode, fail, ok, type RouteReply, validate } from './feishu-replies.js';
import type { MultipartPart } from './multipart.js';
import type { Route, RouteDeps, RouteRequest } from './route-types.js';
import { issueTenantToken, TOKEN_LIFETIME_SECONDS } from './tenant-tokens.js';

/**
 * Everything the bot calls besides messages: access tokens, image and file uploads,
 * the bot's own identity and the contact look-up by mobile or email.
 */

const TokenBody = z.object({ app_id: z.string().min(1), app_secret: z.string().min(1) });
const BatchGetIdQuery = z.object({ user_id_type: z.enum(['open_id', 'union_id', 'user_id']).default('open_id') });
const BatchGetIdBody = z.object({
  emails: z.array(z.string()).max(50).optional(),
  mobiles: z.array(z.string()).max(50).optional(),
  include_resigned: z.boolean().optional(),
});

/** Checks credentials; token answers put their fields at the top level, not under `data`. */
function credentials(
  req: RouteRequest,
  deps: RouteDeps,
): { ok: true; appId: string } | { ok: false; reply: RouteReply } {
  const body = TokenBody.safeParse(req.json);
  if (!body.success) return { ok: false, reply: fail(400, ErrorCode.invalidParam, 'invalid param') };
  if (deps.appId !== undefined && body.data.app_id !== deps.appId) {
    return { ok: false, reply: fail(400, ErrorCode.invalidParam, 'invalid param: app_id not found') };
  }
  if (deps.appSecret !== undefined && body.data.app_secret !== deps.appSecret) {
    return { ok: false, reply: fail(400, ErrorCode.appSecretInvalid, 'app secret invalid') };
  }
  return { ok: true, appId: body.data.app_id };
}

function tenantToken(req: RouteRequest, deps: RouteDeps): RouteReply {
  const checked = credentials(req, deps);
  if (!checked.ok) return checked.reply;
  const token = issueTenantToken(checked.appId);
  return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire: TOKEN_LIFETIME_SECONDS } };
}

function appToken(req: RouteRequest, deps: RouteDeps): RouteReply {
  const checked = credentials(req, deps);
  if (!checked.ok) return checked.reply;
  // A self-built app's app token works as its tenant token for the fake's purposes.
  const token = issueTenantToken(checked.appId);
  return {
    status: 200,
    body: { code: 0, msg: 'ok', app_access_token: token, tenant_access_token: token, expire: TOKEN_LIFETIME_SECONDS },
  };
}

function textFields(parts: MultipartPart[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of parts)
    if (part.fileName === undefined && !part.contentType) fields[part.name] = part.data.toString('utf8');
  return fields;
}

function upload(kind: FakeUpload['kind'], req: RouteRequest, deps: RouteDeps): FakeUpload | RouteReply {
  const parts = req.parts ?? [];
  const filePart = parts.find((p) => p.name === (kind === 'image' ? 'image' : 'file'));
  const fields = textFields(parts.filter((p) => p !== filePart));
  const typeField = kind === 'image' ? 'image_type' : 'file_type';
  if (!filePart || filePart.data.length === 0 || !fields[typeField] || (kind === 'file' && !fields.file_name)) {
    return fail(400, ErrorCode.invalidUploadParam, `Invalid request param: ${kind} and ${typeField} are required.`);
  }
  const stored: FakeUpload = {
    key: deps.store.nextUploadKey(kind),
    kind,
    bytes: filePart.data,
    fileName: kind === 'file' ? fields.file_name : filePart.fileName,
    type: fields[typeField],
    contentType: filePart.contentType,
    fields,
    createdAt: deps.clock.now(),
  };
  deps.store.addUpload(stored);
  return stored;
}

function imageUpload(req: RouteRequest, deps: RouteDeps): RouteReply {
  const stored = upload('image', req, deps);
  return 'key' in stored ? ok({ image_key: stored.key }) : stored;
}

function fileUpload(req: RouteRequest, deps: RouteDeps): RouteReply {
  const stored = upload('file', req, deps);
  return 'key' in stored ? ok({ file_key: stored.key }) : stored;
}

function botInfo(_req: RouteRequest, deps: RouteDeps): RouteReply {
  // bot/v3/info is an old-style API: the answer sits under `bot`, not `data`.
  return {
    status: 200,
    body: {
      code: 0,
      msg: 'ok',
      bot: { activate_status: 2, app_name: deps.bot.name, avatar_url: '', ip_white_list: [], open_id: deps.bot.openId },
    },
  };
}

function idOf(user: FakeUser, type: 'open_id' | 'union_id' | 'user_id'): string {
  return userIdsFor(user.openId, { unionId: user.unionId, userId: user.userId })[type];
}

const ACTIVE_STATUS = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };

function batchGetId(req: RouteRequest, deps: RouteDeps): RouteReply {
  const query = validate(BatchGetIdQuery, req.query);
  if (!query.ok) return query.reply;
  const body = validate(BatchGetIdBody, req.json);
  if (!body.ok) return body.reply;
  const type = query.data.user_id_type;
  // Unknown people come back without user_id, never as an error, exactly as Feishu answers.
  const byEmail = (body.data.emails ?? []).map((email) => {
    const user = deps.store.userByEmail(email);
    return user ? { user_id: idOf(user, type), email, status: ACTIVE_STATUS } : { email };
  });
  const byMobile = (body.data.mobiles ?? []).map((mobile) => {
    const user = deps.store.userByMobile(mobile);
    return user ? { user_id: idOf(user, type), mobile, status: ACTIVE_STATUS } : { mobile };
  });
  return ok({ user_list: [...byEmail, ...byMobile] });
}

export const platformRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/,
    authenticated: false,
    handle: tenantToken,
  },
  {
    method: 'POST',
    pattern: /^\/open-apis\/auth\/v3\/app_access_token\/internal$/,
    authenticated: false,
    handle: appToken,
  },
  { method: 'POST', pattern: /^\/open-apis\/im\/v1\/images$/, authenticated: true, handle: imageUpload },
  { method: 'POST', pattern: /^\/open-apis\/im\/v1\/files$/, authenticated: true, handle: fileUpload },
  { method: 'GET', pattern: /^\/open-apis\/bot\/v3\/info$/, authenticated: true, handle: botInfo },
  {
    method: 'POST',
    pattern: /^\/open-apis\/contact\/v3\/users\/batch_get_id$/,
    authenticated: true,
    handle: batchGetId,
  },
];
