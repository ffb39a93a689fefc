import { createHash } from 'node:crypto';

/**
 * The `uuid` sent with a create or a reply, derived from the outbox key alone, so every
 * attempt of one logical message — retries, other instances, restarts — carries the same one
 * and Feishu drops a repeat ("持有相同 uuid 的请求 1 小时内至多成功发送一条消息"). Feishu takes at
 * most 50 characters (发送消息 › 请求体 › uuid, "最大长度：50 字符",
 * https://open.feishu.cn/document/server-docs/im-v1/message/create ), and keys are longer, so
 * the key is hashed: 32 hex characters of its SHA-256.
 */
export function messageUuid(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
