/**
 * Which database holds a data directory's records, written into the directory when the store
 * is first created (`backend.json`) and obeyed on every later start. Without it, a start that
 * could not open the first backend used to create another, empty one and carry on.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreRefusal } from './store-refusal.js';

export type EmbeddedBackend = 'postgres' | 'sqlite' | 'mongod';

export interface BackendRecord {
  version: 1;
  backend: EmbeddedBackend;
  /** Also written into the database itself, so a start can tell it opened this store and no other. */
  storeId: string;
  createdAt: string;
  /**
   * PostgreSQL only, and only when its cluster lives outside the data directory (as root, when
   * PostgreSQL's user cannot reach it). Absent means `<data dir>/postgres`, so a copy of the
   * data directory carries its own cluster.
   */
  postgresDir?: string;
}

export const BACKEND_FILE = 'backend.json';

export function backendFile(dataDir: string): string {
  return join(dataDir, BACKEND_FILE);
}

export async function readBackendRecord(dataDir: string): Promise<BackendRecord | undefined> {
  let text: string;
  try {
    text = await readFile(backendFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<BackendRecord>;
    if (parsed.version === 1 && isBackend(parsed.backend) && typeof parsed.storeId === 'string')
      return parsed as BackendRecord;
  } catch {
    // fall through to the refusal
  }
  throw new StoreRefusal(
    `数据目录的数据库记录 ${backendFile(dataDir)} 无法读取或已损坏。请从备份恢复此文件，或在确认数据无误后按 README“备份与恢复”一节处理；机器人不会在无法确认的情况下启动。`,
    `The store record ${backendFile(dataDir)} is unreadable or damaged. Restore it from a backup; the bot will not start on a store it cannot identify.`,
  );
}

/** Written once, atomically, so a crash never leaves half a record. */
export async function writeBackendRecord(dataDir: string, record: BackendRecord): Promise<void> {
  const file = backendFile(dataDir);
  const partial = `${file}.partial-${process.pid}`;
  await writeFile(partial, `${JSON.stringify(record, null, 2)}\n`);
  await rename(partial, file);
}

export function newRecord(backend: EmbeddedBackend, postgresDir?: string): BackendRecord {
  return {
    version: 1,
    backend,
    storeId: randomUUID(),
    createdAt: new Date().toISOString(),
    ...(postgresDir ? { postgresDir } : {}),
  };
}

/**
 * For a data directory made before backends were recorded: the backend its files show, or
 * undefined when it holds no data yet. Both present is ambiguous (the old silent switch wrote
 * some records to each); HEHU_EMBEDDED_BACKEND then says which one holds the district's data.
 */
export async function detectExistingBackend(
  dataDir: string,
  legacyPostgresDir: string,
): Promise<EmbeddedBackend | undefined> {
  const hasPostgres = existsSync(join(legacyPostgresDir, 'data', 'PG_VERSION'));
  const hasSqlite = await nonEmpty(join(dataDir, 'ferretdb', 'data'));
  const hasMongod = await nonEmpty(join(dataDir, 'mongod'));
  const found: EmbeddedBackend[] = [
    ...(hasPostgres ? ['postgres' as const] : []),
    ...(hasSqlite ? ['sqlite' as const] : []),
    ...(hasMongod ? ['mongod' as const] : []),
  ];
  if (found.length <= 1) return found[0];
  const chosen = process.env.HEHU_EMBEDDED_BACKEND;
  if (isBackend(chosen) && found.includes(chosen)) return chosen;
  throw new StoreRefusal(
    `数据目录 ${dataDir} 中同时存在 ${found.join('、')} 的数据（旧版本在数据库无法启动时曾改用另一种存储）。请确认哪一份是本区的数据，用 HEHU_EMBEDDED_BACKEND=${found.join(' 或 ')} 启动一次；选定后会记录在 ${backendFile(dataDir)}。`,
    `${dataDir} holds data for ${found.join(' and ')} (older versions switched stores when the database would not start). Start once with HEHU_EMBEDDED_BACKEND set to the one holding the district's data; the choice is then recorded in ${backendFile(dataDir)}.`,
  );
}

function isBackend(value: unknown): value is EmbeddedBackend {
  return value === 'postgres' || value === 'sqlite' || value === 'mongod';
}

async function nonEmpty(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch {
    return false;
  }
}
