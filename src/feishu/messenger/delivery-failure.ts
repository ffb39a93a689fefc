import type { DeliveryFailureKind } from '../../domain/delivery/failure.js';
import { FeishuApiError } from '../../errors.js';

/**
 * Feishu's final refusals, sorted into what the office can do about them. Codes from the
 * error tables of 发送消息 (https://open.feishu.cn/document/server-docs/im-v1/message/create)
 * and 回复消息 (https://open.feishu.cn/document/server-docs/im-v1/message/reply):
 * 230002 the bot is not in the group, 230013 the person is outside the app's availability,
 * 230025 the content is too long.
 *
 * A resigned person: the message pages list no code of their own for it. A person who left is
 * removed from the tenant's availability and their open_id stops resolving, which Feishu
 * answers with the id-validation code 99992351 ("not a valid open_id or not exists") or with
 * 230013; both send the office to the directory. 99992361 is an open_id of another app.
 */
const KIND_BY_CODE: Record<number, DeliveryFailureKind> = {
  230002: 'botNotInChat',
  230013: 'outsideAvailability',
  99992351: 'accountGone',
  99992361: 'accountGone',
  230025: 'tooLarge',
  11310: 'tooLarge',
};

export function classifyFailure(
  error: unknown,
  retryable: boolean,
): { kind: DeliveryFailureKind; code: number | null } {
  const code = error instanceof FeishuApiError ? (error.feishuCode ?? null) : null;
  const known = code === null ? undefined : KIND_BY_CODE[code];
  if (known) return { kind: known, code };
  return { kind: retryable ? 'unreachable' : 'refused', code };
}
