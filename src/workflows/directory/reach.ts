import type { Person, Unit, WaterBody } from '../../domain/directory/directory.js';

/**
 * Whether the bot can reach everyone the directory names: it must be a member of every group
 * chat given for a unit or a water body, and every person must be inside the app's
 * availability range (可用范围). Feishu refuses sends otherwise (230002, 230013), and the
 * office would only learn of it from a failed reminder.
 */

/** The Feishu side of the question, read-only. */
export interface DirectoryReach {
  /** Whether the bot is in the chat; `{ error }` when Feishu would not say (a wrong id, a missing scope). */
  botInChat(chatId: string): Promise<boolean | { error: string }>;
  /**
   * For each open_id, whether the app is available to that person. `{ error }` when the
   * range cannot be read at all (the look-up needs a scope the app may not have).
   */
  availableTo(openIds: string[]): Promise<Map<string, boolean> | { error: string }>;
}

export interface ChatReach {
  chatId: string;
  /** The units and water bodies that name this chat. */
  usedBy: string[];
  status: 'member' | 'notMember' | 'unknown';
  detail?: string;
}

export interface ReachReport {
  chats: ChatReach[];
  /** People outside the availability range. */
  outsideRange: Person[];
  /** People with no Feishu account found (no open_id): nothing can be sent to them. */
  noAccount: Person[];
  /** Set when the availability range could not be read; then outsideRange is empty. */
  rangeUnknown?: string;
}

type DirectoryParts = { people: Person[]; units: Unit[]; waterBodies: WaterBody[] };

/** Every chat id the directory names, with who names it, in directory order. */
function namedChats(directory: DirectoryParts): Map<string, string[]> {
  const chats = new Map<string, string[]>();
  const add = (chatId: string | undefined, name: string) => {
    if (!chatId) return;
    chats.set(chatId, [...(chats.get(chatId) ?? []), name]);
  };
  for (const unit of directory.units) add(unit.chatId, unit.name);
  for (const water of directory.waterBodies) add(water.chatId, water.name);
  return chats;
}

/** Asks Feishu about every chat and person in the directory; changes nothing. */
export async function checkDirectoryReach(directory: DirectoryParts, reach: DirectoryReach): Promise<ReachReport> {
  const chats: ChatReach[] = [];
  for (const [chatId, usedBy] of namedChats(directory)) {
    const answer = await reach.botInChat(chatId);
    if (typeof answer === 'boolean') chats.push({ chatId, usedBy, status: answer ? 'member' : 'notMember' });
    else chats.push({ chatId, usedBy, status: 'unknown', detail: answer.error });
  }
  const noAccount = directory.people.filter((p) => !p.openId);
  const withAccount = directory.people.filter((p): p is Person & { openId: string } => !!p.openId);
  const range =
    withAccount.length === 0 ? new Map<string, boolean>() : await reach.availableTo(withAccount.map((p) => p.openId));
  if (!(range instanceof Map)) return { chats, outsideRange: [], noAccount, rangeUnknown: range.error };
  return { chats, outsideRange: withAccount.filter((p) => range.get(p.openId) === false), noAccount };
}

/** The report in office staff's words: one line per problem, empty when everyone can be reached. */
export function describeReach(report: ReachReport): string[] {
  const lines: string[] = [];
  const notMember = report.chats.filter((c) => c.status === 'notMember');
  const unknown = report.chats.filter((c) => c.status === 'unknown');
  if (notMember.length > 0) {
    lines.push(
      `机器人不在以下 ${notMember.length} 个群中，发到这些群的提醒和卡片会失败（请在群设置 › 群机器人 中添加本应用机器人）：`,
    );
    for (const c of notMember) lines.push(`  ${c.usedBy.join('、')}（${c.chatId}）`);
  }
  if (unknown.length > 0) {
    lines.push(`以下 ${unknown.length} 个群无法核对机器人是否在群中：`);
    for (const c of unknown) lines.push(`  ${c.usedBy.join('、')}（${c.chatId}）：${c.detail ?? '原因不明'}`);
  }
  if (report.outsideRange.length > 0) {
    lines.push(
      `以下 ${report.outsideRange.length} 人不在应用的可用范围内（或已离职），机器人无法给其发消息（请在开发者后台 › 应用发布 › 版本管理与发布 中把他们加入可用范围并发布版本）：`,
    );
    for (const p of report.outsideRange) lines.push(`  ${p.name}（${p.mobile ?? p.email ?? p.id}）`);
  }
  if (report.rangeUnknown) lines.push(`未能核对人员是否在应用可用范围内：${report.rangeUnknown}`);
  return lines;
}
