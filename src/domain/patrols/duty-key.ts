import { messageKey } from '../delivery/message-keys.js';
import type { ChiefDuty } from '../directory/directory.js';

/**
 * A duty's stable key, `riverChief:li-hezhang:dadu-jinkouhe` (no water body for the general
 * chief). It names the duty in card buttons and, with the period and stage, makes each
 * reminder's once-only key.
 */
export function dutyKey(duty: Pick<ChiefDuty, 'role' | 'personId' | 'waterBodyId'>): string {
  return [duty.role, duty.personId, duty.waterBodyId].filter((p) => p !== undefined).join(':');
}

export function reminderKey(
  duty: Pick<ChiefDuty, 'role' | 'personId' | 'waterBodyId'>,
  periodKey: string,
  stage: string,
): string {
  return messageKey('patrolReminder', { dutyKey: dutyKey(duty), periodKey, stage });
}
