/**
 * One owner per data directory: the process that starts the embedded database records itself
 * (pid, role, and once ready the server's URI and pids) in `owner.json`. Another process
 * either reaches the same server through that URI (commands such as org:import while the bot
 * runs), waits (a bot while a command briefly owns it), or is refused (a second bot: the
 * embedded database cannot make claims exclusive across instances, see issue 14).
 * A record whose process is gone is from a killed run; its servers are stopped and it is taken over.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../log/logger.js';
import { StoreRefusal } from './store-refusal.js';

export type OwnerRole = 'bot' | 'script';

export interface OwnerRecord {
  pid: number;
  host: string;
  /** The kernel's start time of `pid`, so a recycled pid is not taken for the owner. */
  procStart?: string;
  role: OwnerRole;
  startedAt: string;
  /** Set once the server answers: where other commands reach this store. */
  uri?: string;
  kind?: 'mongod' | 'ferretdb';
  ferretdbPid?: number;
  postgresPort?: number;
}

export const OWNER_FILE = 'owner.json';
/** How long a bot waits for a command (org:import) that owns the store to finish. */
const WAIT_FOR_SCRIPT_MS = 120_000;
/** How long a command waits for a starting bot to publish its URI. */
const WAIT_FOR_URI_MS = 90_000;
const POLL_MS = 250;
/** A takeover mutex left by a process that died mid-takeover. */
const STALE_MUTEX_MS = 30_000;

export interface DataDirOwner {
  readonly record: OwnerRecord;
  update(patch: Partial<OwnerRecord>): Promise<void>;
  /** True while owner.json still names this process. */
  stillOwned(): Promise<boolean>;
  release(): Promise<void>;
}

export type Claim =
  | { kind: 'owned'; owner: DataDirOwner; stale?: OwnerRecord }
  | { kind: 'shared'; record: OwnerRecord & { uri: string } };

export function ownerFile(dataDir: string): string {
  return join(dataDir, OWNER_FILE);
}

/** Becomes the data directory's owner, or learns the live owner's URI (commands only). */
export async function claimDataDir(dataDir: string, role: OwnerRole, logger: Logger): Promise<Claim> {
  await mkdir(dataDir, { recursive: true });
  const file = ownerFile(dataDir);
  const mine: OwnerRecord = {
    pid: process.pid,
    host: hostname(),
    procStart: procStart(process.pid),
    role,
    startedAt: new Date().toISOString(),
  };
  let waitingSince: number | undefined;
  for (;;) {
    if (await createExclusive(file, mine)) return { kind: 'owned', owner: ownerHandle(file, mine) };
    const current = await readOwner(file);
    if (!current) {
      // Being written (we link a complete file, so only a hand-edited or truncated one stays so).
      if ((await ageMs(file)) > 10_000) {
        const stale = await takeOver(file, mine, undefined, logger);
        if (stale !== 'lost') return { kind: 'owned', owner: ownerHandle(file, mine) };
      }
      await delay(POLL_MS);
      continue;
    }
    if (current.host !== mine.host) throw otherHost(dataDir, current);
    if (!isAlive(current)) {
      const stale = await takeOver(file, mine, current, logger);
      if (stale === 'lost') continue;
      logger.warn(
        { pid: current.pid, role: current.role },
        'the previous owner of the data directory is gone (killed?); taking over',
      );
      return { kind: 'owned', owner: ownerHandle(file, mine), stale: current };
    }
    if (role === 'bot' && current.role === 'bot') throw secondBot(dataDir, current);
    if (role === 'script' && current.role === 'bot' && current.uri)
      return { kind: 'shared', record: { ...current, uri: current.uri } };
    // A command owns it (the bot waits for it to finish), or the bot is still starting (a command waits for its URI).
    waitingSince ??= Date.now();
    const limit = current.role === 'script' ? WAIT_FOR_SCRIPT_MS : WAIT_FOR_URI_MS;
    if (Date.now() - waitingSince > limit) throw busy(dataDir, current);
    if (Date.now() - waitingSince < POLL_MS)
      logger.warn({ pid: current.pid, role: current.role }, 'the data directory is in use by another process; waiting');
    await delay(POLL_MS);
  }
}

/** Reads owner.json; undefined when absent or not (yet) a complete record. */
export async function readOwner(file: string): Promise<OwnerRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<OwnerRecord>;
    if (
      typeof parsed.pid === 'number' &&
      typeof parsed.host === 'string' &&
      (parsed.role === 'bot' || parsed.role === 'script')
    )
      return parsed as OwnerRecord;
  } catch {
    // absent or partial
  }
  return undefined;
}

/** Alive, and the same process that wrote the record (not a recycled pid). */
export function isAlive(record: Pick<OwnerRecord, 'pid' | 'procStart'>): boolean {
  if (!isRunning(record.pid)) return false;
  const started = procStart(record.pid);
  return record.procStart === undefined || started === undefined || started === record.procStart;
}

/** The pid exists and is not a zombie (a killed process nobody has reaped yet is as good as gone). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: kill(0) is all we know
  }
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot); undefined off Linux. */
export function procStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Writes the record to a temp file and links it into place: fails if an owner exists, never half-written. */
async function createExclusive(file: string, record: OwnerRecord): Promise<boolean> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(temp, JSON.stringify(record, null, 2));
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Replaces a dead owner's record with ours under a mutex, so two processes that both found it
 * dead cannot both take over; 'lost' when someone else got there first.
 */
async function takeOver(
  file: string,
  mine: OwnerRecord,
  seen: OwnerRecord | undefined,
  logger: Logger,
): Promise<'lost' | 'taken'> {
  const mutex = `${file}.takeover`;
  try {
    await mkdir(mutex);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if ((await ageMs(mutex)) > STALE_MUTEX_MS) {
      logger.warn({ mutex }, 'removing a takeover mutex left by a dead process');
      await rm(mutex, { recursive: true, force: true });
    } else {
      await delay(POLL_MS);
    }
    return 'lost';
  }
  try {
    const now = await readOwner(file);
    if (seen ? now?.pid !== seen.pid || now.procStart !== seen.procStart : now !== undefined) return 'lost';
    await unlink(file).catch(() => undefined);
    return (await createExclusive(file, mine)) ? 'taken' : 'lost';
  } finally {
    await rm(mutex, { recursive: true, force: true });
  }
}

function ownerHandle(file: string, initial: OwnerRecord): DataDirOwner {
  let record = initial;
  let released = false;
  // A process that exits without stopping (an uncaught error, process.exit) leaves no owner behind.
  const onExit = () => {
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as OwnerRecord;
      if (current.pid === process.pid) unlinkSync(file);
    } catch {
      // gone already
    }
  };
  process.once('exit', onExit);
  const owned = async () => (await readOwner(file))?.pid === process.pid;
  return {
    get record() {
      return record;
    },
    async update(patch) {
      record = { ...record, ...patch };
      const temp = `${file}.${process.pid}.update`;
      await writeFile(temp, JSON.stringify(record, null, 2));
      await rename(temp, file);
    },
    stillOwned: owned,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      if (await owned()) await unlink(file).catch(() => undefined);
    },
  };
}

function describe(record: OwnerRecord): string {
  return `pid ${record.pid}, ${record.role === 'bot' ? 'bot' : 'command'}, since ${record.startedAt}`;
}

function secondBot(dataDir: string, current: OwnerRecord): StoreRefusal {
  return new StoreRefusal(
    `另一个河湖长助手实例（进程 ${current.pid}，自 ${current.startedAt} 起运行）正在使用数据目录 ${dataDir}。内置数据库只允许一个实例：请先停止那个实例；若要运行多个实例，请为它们配置同一个 MongoDB（MONGODB_URI）。`,
    `Another bot instance (${describe(current)}) is using ${dataDir}. The embedded database serves one instance only: stop that one first, or point every instance at one MongoDB with MONGODB_URI.`,
  );
}

function busy(dataDir: string, current: OwnerRecord): StoreRefusal {
  return new StoreRefusal(
    current.role === 'script'
      ? `数据目录 ${dataDir} 正被另一个命令（进程 ${current.pid}，例如 npm run org:import）占用，等待后仍未结束。请等它结束后再试。`
      : `机器人（进程 ${current.pid}）正在启动，但迟迟没有打开数据库。请查看机器人的日志，待其就绪后再试。`,
    `${dataDir} is held by ${describe(current)} and it did not finish or become ready in time. Try again once it has.`,
  );
}

function otherHost(dataDir: string, current: OwnerRecord): StoreRefusal {
  return new StoreRefusal(
    `数据目录 ${dataDir} 登记为由另一台机器（${current.host}，进程 ${current.pid}）使用。同一数据目录不能同时供两台机器使用；若确认那台机器已不再使用它，请删除 ${ownerFile(dataDir)} 后再启动。`,
    `${dataDir} is recorded as in use on another host (${current.host}, pid ${current.pid}). If that host no longer uses it, delete ${ownerFile(dataDir)} and start again.`,
  );
}

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
