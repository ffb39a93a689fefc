import type { FakeStore } from './fake-store.js';
import { fail, type RouteReply } from './feishu-replies.js';

/**
 * Who the bot can reach in the fake tenant: the group chats it was put in, the app's
 * availability range (可用范围) and the scopes (权限) the tenant granted. Nothing arranged
 * means the permissive tenant older tests assume: every chat takes messages, everyone is
 * in range, every scope is granted.
 */

/** A group chat tests arrange; the bot may or may not be one of its members. */
export interface FakeChat {
  chatId: string;
  name?: string;
  /** Open ids of the people in it. */
  members?: string[];
  botIsMember: boolean;
}

export const ReachCode = {
  // 发送消息 / 回复消息 error tables: https://open.feishu.cn/document/server-docs/im-v1/message/create
  // and https://open.feishu.cn/document/server-docs/im-v1/message/reply
  botNotInChat: 230002,
  userOutsideAvailability: 230013,
  // https://open.feishu.cn/document/uAjLw4CM/ugTN1YjL4UTN24CO1UjN/trouble-shooting/how-to-fix-the-99991672-error
  scopeRequired: 99991672,
} as const;

export class FakeReach {
  private readonly chats = new Map<string, FakeChat>();
  private availability: 'all' | Set<string> = 'all';
  /** Scopes explicitly granted; `all` until a test narrows it. */
  private granted: 'all' | Set<string> = 'all';
  private readonly revoked = new Set<string>();

  addChat(chat: FakeChat): void {
    this.chats.set(chat.chatId, { ...chat, members: [...(chat.members ?? [])] });
  }

  chat(chatId: string): FakeChat | undefined {
    return this.chats.get(chatId);
  }

  /** Chats nobody arranged count as ones the bot is in, so tests that do not care need not list them. */
  botInChat(chatId: string): boolean {
    return this.chats.get(chatId)?.botIsMember ?? true;
  }

  setAvailability(openIds: 'all' | Iterable<string>): void {
    this.availability = openIds === 'all' ? 'all' : new Set(openIds);
  }

  isAvailable(openId: string): boolean {
    return this.availability === 'all' || this.availability.has(openId);
  }

  /** Grants exactly these scopes (plus any granted later); `all` restores the permissive default. */
  grantScopes(scopes: 'all' | Iterable<string>): void {
    this.revoked.clear();
    if (scopes === 'all') {
      this.granted = 'all';
      return;
    }
    if (this.granted === 'all') this.granted = new Set();
    for (const scope of scopes) this.granted.add(scope);
  }

  revokeScope(scope: string): void {
    this.revoked.add(scope);
    if (this.granted !== 'all') this.granted.delete(scope);
  }

  isGranted(scope: string): boolean {
    if (this.revoked.has(scope)) return false;
    return this.granted === 'all' || this.granted.has(scope);
  }

  /** Scopes the tenant was asked about: granted ones and revoked ones (the app applied for both). */
  knownScopes(): { granted: string[]; refused: string[] } {
    return { granted: this.granted === 'all' ? [] : [...this.granted], refused: [...this.revoked] };
  }
}

/**
 * Feishu's answer to a call whose token lacks every scope the API accepts, in the documented
 * shape (code, msg naming the scopes, `error.permission_violations`). The page shows only the
 * body; HTTP 400 is what Feishu sends with it in public reports.
 * https://open.feishu.cn/document/uAjLw4CM/ugTN1YjL4UTN24CO1UjN/trouble-shooting/how-to-fix-the-99991672-error
 */
export function scopeRequired(anyOf: readonly string[], appId: string | undefined): RouteReply {
  const list = anyOf.join(', ');
  return fail(
    400,
    ReachCode.scopeRequired,
    `Access denied. One of the following scopes is required: [${list}].应用未开通所需的权限：[${list}]`,
    {
      message:
        'Refer to the documentation to fix the error: https://open.feishu.cn/document/uAjLw4CM/ugTN1YjL4UTN24CO1UjN/trouble-shooting/how-to-fix-the-99991672-error',
      permission_violations: anyOf.map((subject) => ({ type: 'action_scope_required', subject })),
      helps: [
        {
          url: `https://open.feishu.cn/app/${appId ?? 'cli_fake'}/auth?q=${anyOf.join(',')}&op_from=openapi`,
          description: `Learn more about scopes and how to add them: [${list}]`,
        },
      ],
    },
  );
}

/**
 * Refuses a send or reply that Feishu would refuse for reach: a group chat the bot is not in
 * (230002) or a person outside the app's availability range (230013; Feishu also answers
 * 230013 for people who left the company). Error tables of 发送消息 and 回复消息:
 * https://open.feishu.cn/document/server-docs/im-v1/message/create
 * https://open.feishu.cn/document/server-docs/im-v1/message/reply
 */
export function reachRefusal(
  reach: FakeReach,
  store: FakeStore,
  target: { chatId?: string; receiveIdType?: string; receiveId?: string },
): RouteReply | undefined {
  if (target.chatId !== undefined && !target.chatId.startsWith('oc_fake_p2p_') && !reach.botInChat(target.chatId)) {
    return fail(400, ReachCode.botNotInChat, 'The bot can not be outside the group.');
  }
  const openId = personOpenId(store, target.receiveIdType, target.receiveId);
  if (openId !== undefined && !reach.isAvailable(openId)) {
    return fail(400, ReachCode.userOutsideAvailability, 'Bot has NO availability to this user.');
  }
  return undefined;
}

/** The open_id behind a person-addressed send, when the fake can tell; chats and unknown ids give undefined. */
function personOpenId(store: FakeStore, type: string | undefined, id: string | undefined): string | undefined {
  if (id === undefined || type === undefined || type === 'chat_id') return undefined;
  if (type === 'open_id') return id;
  return store.userBy(type, id)?.openId;
}
