import type { Directory, Unit, WaterBody } from './directory.js';

/**
 * Whom the bot can reach at all, from the directory alone: a unit through its group chat or
 * a member with a Feishu account, a water body through its chat or one of its chiefs with an
 * account. A unit with neither would take an assignment that nobody ever receives. Whether
 * the bot is in the chat and may message the person is Feishu's side (reach.ts, 未送达).
 */

export interface Unreachable {
  units: Unit[];
  waterBodies: WaterBody[];
}

const hasAccount = (directory: Pick<Directory, 'people'>, personId: string | undefined) =>
  !!personId && directory.people.some((p) => p.id === personId && !!p.openId);

/** Whether anything sent to the unit reaches someone. */
export function unitReachable(directory: Pick<Directory, 'people'>, unit: Unit): boolean {
  return !!unit.chatId || unit.members.some((m) => hasAccount(directory, m));
}

/** Whether the water body's cards and reminders reach someone. */
export function waterBodyReachable(directory: Pick<Directory, 'people'>, water: WaterBody): boolean {
  const chiefs = [water.districtChief, ...Object.values(water.townshipChiefs), ...Object.values(water.villageChiefs)];
  return !!water.chatId || chiefs.some((c) => hasAccount(directory, c));
}

/** Every unit and water body the bot cannot reach, in directory order. */
export function unreachable(directory: Pick<Directory, 'people' | 'units' | 'waterBodies'>): Unreachable {
  return {
    units: directory.units.filter((u) => !unitReachable(directory, u)),
    waterBodies: directory.waterBodies.filter((w) => !waterBodyReachable(directory, w)),
  };
}

/** Why a unit cannot be reached, in the words of office staff. */
export function unreachableReason(unit: Unit): string {
  return unit.members.length === 0
    ? '名录中没有成员，也没有群聊'
    : '成员都还没有飞书账号（手机号或邮箱未匹配），也没有群聊';
}

/** The refusal when something is assigned to an unreachable unit. */
export function unreachableRefusal(unit: Unit): string {
  return `${unit.name}${unreachableReason(unit)}，交办后无人收到。请区河长制办公室先在组织名录中为其填写成员或群聊 ID 并重新导入，再交办。`;
}
