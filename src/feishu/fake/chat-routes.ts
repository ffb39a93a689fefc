import { z } from 'zod';
import { ok, type RouteReply, validate } from './feishu-replies.js';
import type { Route, RouteDeps, RouteRequest } from './route-types.js';
import { appliedScopes } from './scope-rules.js';

/**
 * What an operator's setup check reads: whether the bot is in a chat, which scopes the
 * tenant granted, and whether people are in the app's availability range. The scope each
 * call needs is enforced centrally (scope-rules.ts), before these handlers run.
 */

/**
 * 判断用户或机器人是否在群里: answers for the identity of the token, here the bot.
 * https://open.feishu.cn/document/server-docs/group/chat-member/is_in_chat
 */
function isInChat(req: RouteRequest, deps: RouteDeps): RouteReply {
  return ok({ is_in_chat: deps.reach.botInChat(req.params.chatId ?? '') });
}

/**
 * 查询租户授权状态: every scope the app applied for, 1 granted, 2 not granted. Needs no scope.
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/application-v6/scope/list
 */
function scopeList(_req: RouteRequest, deps: RouteDeps): RouteReply {
  const scopes = appliedScopes(deps.reach).map((name) => ({
    scope_name: name,
    grant_status: deps.reach.isGranted(name) ? 1 : 2,
    scope_type: 'tenant',
  }));
  return ok({ scopes });
}

const VisibilityQuery = z.object({ user_id_type: z.enum(['open_id', 'union_id', 'user_id']).default('open_id') });
// At most 100 user ids per call, per the page below.
const VisibilityBody = z.object({
  user_ids: z.array(z.string()).max(100).optional(),
  department_ids: z.array(z.string()).max(100).optional(),
  group_ids: z.array(z.string()).max(100).optional(),
});

/**
 * 查询用户或部门是否在应用的可用或禁用名单: per user, in the available list or the
 * banned one. The fake has no banned list; a person outside the range is simply not in it.
 * https://open.feishu.cn/document/server-docs/application-v6/admin/check_white_black_list
 */
function visibility(req: RouteRequest, deps: RouteDeps): RouteReply {
  const query = validate(VisibilityQuery, req.query);
  if (!query.ok) return query.reply;
  const body = validate(VisibilityBody, req.json ?? {});
  if (!body.ok) return body.reply;
  const type = query.data.user_id_type;
  const users = (body.data.user_ids ?? []).map((id) => {
    const openId = type === 'open_id' ? id : deps.store.userBy(type, id)?.openId;
    return {
      user_id: id,
      in_white_list: openId !== undefined && deps.reach.isAvailable(openId),
      in_black_list: false,
      in_paid_list: false,
    };
  });
  return ok({ user_visibility_list: users, department_visibility_list: [], group_visibility_list: [] });
}

export const chatRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/open-apis\/im\/v1\/chats\/(?<chatId>[^/]+)\/members\/is_in_chat$/,
    authenticated: true,
    handle: isInChat,
  },
  { method: 'GET', pattern: /^\/open-apis\/application\/v6\/scopes$/, authenticated: true, handle: scopeList },
  {
    method: 'POST',
    pattern: /^\/open-apis\/application\/v6\/applications\/[^/]+\/visibility\/check_white_black_list$/,
    authenticated: true,
    handle: visibility,
  },
];
