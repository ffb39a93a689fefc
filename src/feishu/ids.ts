import { z } from 'zod';

/**
 * The shapes of the ids Feishu puts in events, checked before any of them is used, and the
 * one way an id enters an API path.
 *
 * Documented shapes (examples from the pages):
 * - message_id `om_934be5776f5a87239a298af9e74c0f72`, root_id and parent_id the same
 *   (消息管理概述, https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/intro);
 * - chat_id `oc_a0553eda9014c201e6969b478895c230` (群 ID 说明,
 *   https://open.feishu.cn/document/server-docs/group/chat/chat-id-description);
 * - open_id `ou_…`, union_id `on_…`, user_id chosen by the tenant (用户身份概述,
 *   https://open.feishu.cn/document/home/user-identity-introduction/introduction);
 * - image_key `img_v2_…` / `img_v3_02uh_0960ac8c-3983-4732-…`, file_key `file_v2_…` / `file_v3_…`
 *   (接收消息内容结构, https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/events/message_content).
 * Only the prefixes are documented, not the rest; real ids carry letters, digits, `_` and `-`
 * after it (v3 keys embed a UUID), so that is what is allowed, and nothing else: no `/`,
 * `.`, `%`, `?` or `#` that could change which URL a path parameter names.
 */

/** Letters, digits, `_` and `-`: every character real Feishu ids are made of. */
const ID_BODY = /^[A-Za-z0-9_-]{1,256}$/;

function prefixed(prefix: string) {
  return z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9_-]{1,252}$`), `not a Feishu ${prefix}… id`);
}

/** `om_…`: a message, a thread's root or a replied-to message. */
export const MessageIdSchema = prefixed('om_');
/** `oc_…`: a group or one-to-one chat. */
export const ChatIdSchema = prefixed('oc_');
/** `ou_…`: a person as this app sees them. */
export const OpenIdSchema = prefixed('ou_');
/** `on_…`: a person across one developer's apps. */
export const UnionIdSchema = prefixed('on_');
/** The tenant's own employee id, or a resource key: shape unknown beyond its characters. */
export const PlainIdSchema = z.string().regex(ID_BODY, 'not a Feishu id');

/** True for an image or file key that may be sent back to Feishu. */
export function isResourceKey(value: string): boolean {
  return ID_BODY.test(value);
}

/** An id that cannot be one of Feishu's reached a URL path: refused before any request. */
export class UnsafeIdError extends Error {
  constructor(readonly what: string) {
    super(`refusing to put a malformed ${what} into a Feishu API path`);
    this.name = 'UnsafeIdError';
  }
}

/**
 * The only way an id enters an API path. The SDK fills `:message_id` and the like into the
 * URL as given, unencoded (`fillApiPath` in @larksuiteoapi/node-sdk 1.74), so `../../x`
 * would climb out of the route. The shape check refuses dot segments, which encoding alone
 * would let through (`..` encodes to itself); the encoding is there so that whatever the
 * check lets in can never be read as URL syntax.
 */
export function pathParam(value: string, what: string): string {
  if (!ID_BODY.test(value)) throw new UnsafeIdError(what);
  return encodeURIComponent(value);
}
