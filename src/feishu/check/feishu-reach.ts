import type * as lark from '@larksuiteoapi/node-sdk';
import type { DirectoryReach } from '../../workflows/directory/reach.js';
import { pathParam } from '../ids.js';
import { ask, describeRefusal, SCOPE_REQUIRED } from './feishu-answer.js';

/** check_white_black_list takes at most 100 user ids per call. */
const VISIBILITY_BATCH = 100;

function scopeHint(answer: { code?: number; msg: string; scopes: string[] }): string {
  if (answer.code === SCOPE_REQUIRED && answer.scopes.length > 0) {
    return `应用缺少权限 ${answer.scopes.join(' 或 ')}（开发者后台 › 开发配置 › 权限管理 中开通后发布版本）`;
  }
  return describeRefusal(answer);
}

/**
 * DirectoryReach over read-only Feishu calls:
 * - 判断用户或机器人是否在群里 (`im.chatMembers.isInChat`, scope im:chat:readonly or kin),
 *   answered for the token's identity, the bot:
 *   https://open.feishu.cn/document/server-docs/group/chat-member/is_in_chat
 * - 查询用户或部门是否在应用的可用或禁用名单 (`application.applicationVisibility.checkWhiteBlackList`):
 *   https://open.feishu.cn/document/server-docs/application-v6/admin/check_white_black_list
 *   A person counts as reachable when on the available list and not on the banned one.
 */
export class FeishuReach implements DirectoryReach {
  constructor(
    private readonly client: lark.Client,
    private readonly appId: string,
  ) {}

  async botInChat(chatId: string): Promise<boolean | { error: string }> {
    const answer = await ask(() =>
      this.client.im.v1.chatMembers.isInChat({ path: { chat_id: pathParam(chatId, 'chat_id') } }),
    );
    if (!answer.ok) return { error: scopeHint(answer) };
    return answer.data.data?.is_in_chat === true;
  }

  async availableTo(openIds: string[]): Promise<Map<string, boolean> | { error: string }> {
    const result = new Map<string, boolean>();
    for (let i = 0; i < openIds.length; i += VISIBILITY_BATCH) {
      const batch = openIds.slice(i, i + VISIBILITY_BATCH);
      const answer = await ask(() =>
        this.client.application.v6.applicationVisibility.checkWhiteBlackList({
          path: { app_id: this.appId },
          params: { user_id_type: 'open_id' },
          data: { user_ids: batch },
        }),
      );
      if (!answer.ok) return { error: scopeHint(answer) };
      for (const user of answer.data.data?.user_visibility_list ?? []) {
        if (user.user_id) result.set(user.user_id, user.in_white_list === true && user.in_black_list !== true);
      }
    }
    return result;
  }
}
