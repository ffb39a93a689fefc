import { chiefDuties } from '../../domain/directory/directory.js';
import { SEED_OBLIGATIONS } from '../../domain/patrols/obligation.js';
import { patrolPeriods } from '../../domain/patrols/patrol.js';
import type { DirectoryStore } from '../directory-store.js';
import type { PatrolStore } from '../patrol-store.js';
import type { Migration } from './migration.js';

/**
 * Keeps role and period keys on patrols recorded before they were kept, so overviews count
 * every patrol. Idempotent; returns how many were filled in. Without a directory the roles
 * cannot be told, so it waits for one.
 */
export async function fillPatrolPeriods(
  directoryStore: Pick<DirectoryStore, 'loadDirectory'>,
  patrols: Pick<PatrolStore, 'withoutPeriods' | 'setDerived'>,
  timeZone: string,
): Promise<{ changed: number; complete: boolean }> {
  const directory = await directoryStore.loadDirectory();
  if (!directory) return { changed: 0, complete: (await patrols.withoutPeriods(1)).length === 0 };
  const duties = chiefDuties(directory, SEED_OBLIGATIONS);
  let changed = 0;
  for (;;) {
    const batch = await patrols.withoutPeriods(500);
    if (batch.length === 0) return { changed, complete: true };
    for (const p of batch) {
      const duty = duties.find((d) => d.personId === p.chiefId && (d.waterBodyId ?? null) === (p.waterBodyId ?? null));
      await patrols.setDerived(p.key, duty?.role ?? null, patrolPeriods(p.patrolledAt, timeZone));
      changed++;
    }
  }
}

export function patrolPeriodsMigration(
  directory: Pick<DirectoryStore, 'loadDirectory'>,
  patrols: Pick<PatrolStore, 'withoutPeriods' | 'setDerived'>,
  timeZone: string,
): Migration {
  return { id: '2026-11-29-patrol-periods', run: () => fillPatrolPeriods(directory, patrols, timeZone) };
}
