import type { ChiefDuty, Directory } from '../../domain/directory/directory.js';
import type { Recipient } from '../ports.js';

/**
 * Where a duty's reminder goes: the water body's group with the chief @-mentioned when the
 * directory sends reminders to groups, else the chief directly, else the group; undefined
 * when the chief has no Feishu account and the water body no chat.
 */
export function reminderRecipient(
  directory: Directory,
  duty: ChiefDuty,
): { to: Recipient; mention: string | undefined } | undefined {
  const chief = directory.people.find((p) => p.id === duty.personId);
  const water = directory.waterBodies.find((w) => w.id === duty.waterBodyId);
  if (directory.reminderDelivery === 'groupChat' && water?.chatId)
    return { to: { chatId: water.chatId }, mention: chief?.openId };
  if (chief?.openId) return { to: { openId: chief.openId }, mention: undefined };
  return water?.chatId ? { to: { chatId: water.chatId }, mention: undefined } : undefined;
}
