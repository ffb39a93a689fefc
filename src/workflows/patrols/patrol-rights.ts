import type { ChiefDuty, Directory, Person } from '../../domain/directory/directory.js';
import { mayRecordPatrol } from '../../domain/patrols/who-may-record.js';
import { ForbiddenError, StaleError } from '../../errors.js';
import type { PatrolDoc } from '../../store/models/patrol.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import { requirePerson } from '../require-directory.js';
import { dutyOfCard } from './card-refs.js';

/** Who may act on a patrol reminder card, and on a patrol already recorded. */

/** The duty a card names and the person tapping it, if they may record its patrols (the chief, or on their behalf). */
export function dutyActor(
  directory: Directory,
  actorOpenId: string,
  key: string,
): { duty: ChiefDuty; actor: Person; onBehalf: boolean } {
  const actor = requirePerson(directory, actorOpenId);
  const duty = dutyOfCard(directory, key);
  const right = mayRecordPatrol(directory, actor.id, {
    chiefId: duty.personId,
    waterBodyId: duty.role === 'generalChief' ? undefined : duty.waterBodyId,
  });
  if (!right.may) throw new ForbiddenError(right.reason);
  return { duty, actor, onBehalf: right.onBehalf };
}

/** The patrol, if this person recorded it and it is still as they saw it. */
export async function ownPatrol(
  patrols: Pick<PatrolStore, 'findByKey'>,
  patrolId: string,
  version: number,
  actorId: string,
): Promise<PatrolDoc> {
  const patrol = await patrols.findByKey(patrolId);
  if (!patrol) throw new StaleError('找不到该巡河记录，卡片已刷新。');
  if (patrol.recordedBy !== actorId) throw new ForbiddenError('只有记录人本人可以更正或撤回这条巡河记录。');
  if (patrol.status !== 'recorded' || patrol.version !== version)
    throw new StaleError('该巡河记录已被更正或撤回，卡片已刷新。');
  return patrol;
}
