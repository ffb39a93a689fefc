import type { FakeReach } from './fake-reach.js';

/**
 * Which scopes each API the fake serves accepts (权限要求: any one of them is enough), from
 * each API's page. A call whose token holds none is refused with 99991672. APIs listed
 * nowhere here need no scope (token, bot info, the scope list itself) or are not yet
 * checked by the fake.
 */
interface ScopeRule {
  method: string;
  pattern: RegExp;
  anyOf: readonly string[];
}

const SEND = ['im:message', 'im:message:send_as_bot', 'im:message:send'] as const;

const RULES: readonly ScopeRule[] = [
  // 发送消息: https://open.feishu.cn/document/server-docs/im-v1/message/create
  { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages$/, anyOf: SEND },
  // 回复消息: https://open.feishu.cn/document/server-docs/im-v1/message/reply
  { method: 'POST', pattern: /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/, anyOf: SEND },
  // 获取消息中的资源文件: https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get
  {
    method: 'GET',
    pattern: /^\/open-apis\/im\/v1\/messages\/[^/]+\/resources\/[^/]+$/,
    anyOf: ['im:message', 'im:message:readonly', 'im:message.history:readonly'],
  },
  // 上传图片 / 上传文件: https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/create
  { method: 'POST', pattern: /^\/open-apis\/im\/v1\/(images|files)$/, anyOf: ['im:resource', 'im:resource:upload'] },
  // 发送应用内加急: https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/urgent_app
  {
    method: 'PATCH',
    pattern: /^\/open-apis\/im\/v1\/messages\/[^/]+\/urgent_app$/,
    anyOf: ['im:message.urgent', 'im:message.urgent:app_send'],
  },
  // 判断用户或机器人是否在群里: https://open.feishu.cn/document/server-docs/group/chat-member/is_in_chat
  {
    method: 'GET',
    pattern: /^\/open-apis\/im\/v1\/chats\/[^/]+\/members\/is_in_chat$/,
    anyOf: ['im:chat', 'im:chat:readonly', 'im:chat.members:read', 'im:chat.group_info:readonly'],
  },
  // 通过手机号或邮箱获取用户 ID; the 99991672 page's own example names this scope:
  // https://open.feishu.cn/document/uAjLw4CM/ugTN1YjL4UTN24CO1UjN/trouble-shooting/how-to-fix-the-99991672-error
  { method: 'POST', pattern: /^\/open-apis\/contact\/v3\/users\/batch_get_id$/, anyOf: ['contact:user.id:readonly'] },
  // 查询用户或部门是否在应用的可用或禁用名单:
  // https://open.feishu.cn/document/server-docs/application-v6/admin/check_white_black_list
  // Its scope list was not readable to us; admin:app.info:readonly is what the sibling page
  // 获取应用在企业内的可用范围 (https://open.feishu.cn/document/ukTMukTMukTM/uIjM3UjLyIzN14iMycTN)
  // requires. The real check reports whatever scope Feishu names, so a wrong guess here
  // cannot mislead an operator.
  {
    method: 'POST',
    pattern: /^\/open-apis\/application\/v6\/applications\/[^/]+\/visibility\/check_white_black_list$/,
    anyOf: ['admin:app.info:readonly'],
  },
];

/**
 * Scopes a subscription to 接收消息 (im.message.receive_v1) needs; no API call uses them, so
 * only the scope list shows them.
 * https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/events/receive
 */
const EVENT_SCOPES = [
  'im:message.p2p_msg:readonly',
  'im:message.group_at_msg:readonly',
  'im:message.group_msg',
] as const;

/** The scopes the fake app has applied for: every one an API above accepts, plus the event ones. */
export function appliedScopes(reach: FakeReach): string[] {
  const { granted, refused } = reach.knownScopes();
  return [...new Set([...RULES.flatMap((r) => r.anyOf), ...EVENT_SCOPES, ...granted, ...refused])];
}

/** The scopes a call needs when the tenant granted none of them; undefined when it may proceed. */
export function missingScopes(reach: FakeReach, method: string, path: string): readonly string[] | undefined {
  const rule = RULES.find((r) => r.method === method && r.pattern.test(path));
  if (!rule || rule.anyOf.some((scope) => reach.isGranted(scope))) return undefined;
  return rule.anyOf;
}
