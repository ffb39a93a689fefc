import type { Db } from 'mongodb';
import type { Clock } from '../../domain/clock.js';
import type { Logger } from '../../log/logger.js';
import { isDuplicateKey } from '../mongo-errors.js';

/** The record of what ran: one document per migration, keyed by its id. */
const MIGRATIONS_COLLECTION = 'migrations';

/**
 * A data change an upgrade needs once (filling in fields that later versions keep). Its body
 * must be safe to run again: two instances starting together may both run it.
 */
export interface Migration {
  /**
   * Stable id, kept in the record: never rename one that has run. It starts with the day it
   * was written (`2026-11-29-…`): migrations run in the order of their ids, so one that reads
   * what an earlier one fills in runs after it, whichever feature declares it.
   */
  id: string;
  /**
   * Makes the change; `changed` counts the records it touched. `complete: false` leaves it
   * unrecorded, to be run again at the next start (it could not finish yet).
   */
  run(): Promise<{ changed: number; complete: boolean }>;
}

/** Runs, in the order of their ids, each migration not yet recorded, and records those that completed. */
export async function runMigrations(
  db: Db,
  migrations: readonly Migration[],
  clock: Clock,
  logger: Logger,
): Promise<void> {
  const record = db.collection<{ _id: string; at: Date; changed: number }>(MIGRATIONS_COLLECTION);
  const ran = new Set((await record.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
  const ids = new Set<string>();
  for (const { id } of migrations) {
    if (ids.has(id)) throw new Error(`migration ${id} is declared twice`);
    ids.add(id);
  }
  for (const migration of [...migrations].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (ran.has(migration.id)) continue;
    const { changed, complete } = await migration.run();
    logger.info({ migration: migration.id, changed, complete }, 'migration ran');
    if (!complete) continue;
    try {
      await record.insertOne({ _id: migration.id, at: clock.now(), changed });
    } catch (error) {
      // Another instance recorded it first; the change is the same either way.
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
