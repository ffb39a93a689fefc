/**
 * A private PostgreSQL for FerretDB, when the machine has PostgreSQL's programs. FerretDB on
 * PostgreSQL answers filtered reads and writes from indexes; on SQLite every write reads the
 * whole collection, which caps the bot at a few taps a second once a district has thousands
 * of problems. Which of the two a data directory uses is decided once (backend-record.ts).
 *
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user, which
 * must reach its cluster. A data directory inside a 0700 home is out of its reach, and opening
 * somebody's home is not ours to do; the cluster then lives in a directory we create for it
 * under /var/lib/hehu-assistant, and backend.json records where.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../log/logger.js';
import { isRunning } from './data-dir-owner.js';
import type { PostgresAccess } from './equality-indexes.js';
import { findExecutable } from './ferretdb-binary.js';
import { StoreRefusal } from './store-refusal.js';

const run = promisify(execFile);
/** Debian keeps the server programs outside PATH. */
const PG_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
/** PostgreSQL refuses to run as root; as root we run it as this system user. */
const SERVICE_USER = 'postgres';
/** Where clusters go when the service user cannot reach the data directory. */
export const OUTSIDE_ROOT = process.env.HEHU_POSTGRES_ROOT || '/var/lib/hehu-assistant';

export interface PostgresHandle {
  url: string;
  port: number;
  /** psql of the same installation, for what FerretDB cannot ask for (equality-indexes.ts). */
  access: PostgresAccess;
  stop(): Promise<void>;
}

interface Programs {
  initdb: string;
  pgCtl: string;
  psql: string;
}

export async function postgresPrograms(): Promise<Programs | undefined> {
  const initdb = await findExecutable('initdb', PG_DIRS);
  const pgCtl = await findExecutable('pg_ctl', PG_DIRS);
  if (!initdb || !pgCtl) return undefined;
  // The psql beside the real pg_ctl (PATH may hold only links to it) speaks the server's version.
  const beside = join(dirname(await realpath(pgCtl)), 'psql');
  const psql = existsSync(beside) ? beside : ((await findExecutable('psql', PG_DIRS)) ?? beside);
  return { initdb, pgCtl, psql };
}

const asRoot = (): boolean => process.getuid?.() === 0;

function command(file: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', SERVICE_USER, '--', file, ...args]] : [file, args];
}

/**
 * For a new store: undefined when PostgreSQL's user can reach `dataDir/postgres` (always, when
 * not root); else a directory of its own under OUTSIDE_ROOT named by the store id, which
 * remembers the data directory it belongs to (see claimCluster).
 */
export async function choosePostgresDir(dataDir: string, storeId: string, logger: Logger): Promise<string | undefined> {
  if (!asRoot()) return undefined;
  const inside = join(resolve(dataDir), 'postgres');
  const { uid, gid } = await serviceIds();
  await mkdir(inside, { recursive: true });
  // The store directory is ours; let the service user through it (not any parent we did not make).
  await chmod(dataDir, 0o711);
  await chown(inside, uid, gid);
  if (await serviceUserCanUse(inside)) return undefined;
  await rm(inside, { recursive: true, force: true });
  const outside = join(OUTSIDE_ROOT, storeId);
  await mkdir(OUTSIDE_ROOT, { recursive: true, mode: 0o755 });
  await mkdir(outside, { mode: 0o700 });
  await chown(outside, uid, gid);
  await writeFile(join(outside, DATA_DIR_FILE), `${resolve(dataDir)}\n`);
  logger.warn(
    { dir: outside },
    `PostgreSQL's user cannot reach ${inside}; its cluster lives in ${outside} (recorded in backend.json)`,
  );
  return outside;
}

/** In a cluster outside the data directory: the data directory it belongs to. */
const DATA_DIR_FILE = 'hehu-data-dir';

/**
 * A cluster outside the data directory serves one data directory. A copy of that directory
 * beside the original (a restore test, a second checkout) must not start, or stop, the
 * original's PostgreSQL; a directory that was moved takes its cluster along.
 */
async function claimCluster(clusterDir: string, dataDir: string): Promise<void> {
  const file = join(clusterDir, DATA_DIR_FILE);
  const recorded = (await readFile(file, 'utf8').catch(() => '')).trim();
  const mine = resolve(dataDir);
  if (recorded === '' || recorded === mine) return;
  if (existsSync(join(recorded, 'backend.json'))) {
    throw new StoreRefusal(
      `PostgreSQL 数据库目录 ${clusterDir} 属于数据目录 ${recorded}，而本数据目录 ${mine} 只是它的副本。两个数据目录不能共用一个数据库；恢复备份时请把数据库目录一并复制，并在 backend.json 中改写 postgresDir（见 README“备份与恢复”）。`,
      `The PostgreSQL cluster ${clusterDir} belongs to ${recorded}; ${mine} is a copy of it. Two data directories cannot share one cluster: copy the cluster too and point postgresDir in backend.json at the copy (see README, backup and restore).`,
    );
  }
  await writeFile(file, `${mine}\n`); // The data directory was moved: the cluster follows it.
}

/**
 * Starts PostgreSQL on `clusterDir/data`, creating the cluster when `create` (a new store);
 * a server left running on it by a killed run is stopped first. Refuses, saying why, when
 * the recorded cluster is missing or cannot be started.
 */
export async function startPostgres(options: {
  clusterDir: string;
  dataDir: string;
  port: number;
  create: boolean;
  logger: Logger;
}): Promise<PostgresHandle> {
  const { clusterDir, port, create, logger } = options;
  const programs = await postgresPrograms();
  if (!programs) {
    throw new StoreRefusal(
      `此数据目录的数据保存在 PostgreSQL 中（${clusterDir}），但本机找不到 PostgreSQL 程序（initdb、pg_ctl）。请安装 PostgreSQL（如 apt-get install postgresql）后再启动；机器人不会改用另一个空的数据库。`,
      `This data directory's records are in PostgreSQL (${clusterDir}) but initdb/pg_ctl are not installed. Install PostgreSQL and start again; the bot will not switch to another, empty store.`,
    );
  }
  const data = join(clusterDir, 'data');
  if (!create && !existsSync(join(data, 'PG_VERSION'))) {
    throw new StoreRefusal(
      `数据目录登记的 PostgreSQL 数据库目录 ${clusterDir} 不存在或无法访问。若数据目录是从别处复制来的，请把该目录一并复制到原位置（见 README“备份与恢复”）；机器人不会改用另一个空的数据库。`,
      `The PostgreSQL cluster recorded for this data directory (${clusterDir}) is missing or unreadable. Restore it to that place (see README, backup and restore); the bot will not start on another, empty store.`,
    );
  }
  await claimCluster(clusterDir, options.dataDir);
  if (asRoot()) {
    const { uid, gid } = await serviceIds();
    await mkdir(clusterDir, { recursive: true });
    // A copy restored by root (cp -r) must be the service user's again.
    await chownTree(clusterDir, uid, gid);
    if (!(await serviceUserCanUse(clusterDir))) {
      throw new StoreRefusal(
        `PostgreSQL 以系统用户 postgres 运行，但它无法进入 ${clusterDir}（上层目录不允许其访问，例如位于权限为 0700 的主目录中）。请把 BOT_DATA_DIR 放到 postgres 用户可以进入的位置（如 /srv/hehu），或恢复原来的目录权限。`,
        `PostgreSQL runs as the postgres user, which cannot reach ${clusterDir} (a parent directory shuts it out, e.g. a 0700 home). Put BOT_DATA_DIR where that user can reach it (e.g. /srv/hehu) or restore the permissions.`,
      );
    }
  }
  if (create && !existsSync(join(data, 'PG_VERSION'))) {
    await run(
      ...command(programs.initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']),
    );
  }
  await stopStalePostgres(programs.pgCtl, data, logger);
  const log = join(clusterDir, 'postgres.log');
  // Given at every start (not stored in the cluster), so a cluster made by an older version, or
  // one whose stale server was just stopped, gets it too. Prepared statements' generic plans
  // (`_jsonb->$1`) match no index: every FerretDB find would scan its table (equality-indexes.ts).
  const socketDir = socketDirFor(clusterDir, port);
  const serverOptions = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c plan_cache_mode=force_custom_plan`;
  try {
    await run(...command(programs.pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', '-o', serverOptions, 'start']));
  } catch (error) {
    const tail = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').slice(-8).join('\n');
    throw new StoreRefusal(
      `PostgreSQL 无法在 ${data} 上启动，机器人不会改用另一个空的数据库。请查看 ${log} 的末尾（已附在下方）排除问题后再启动。\n${tail}`,
      `PostgreSQL would not start on ${data}; the bot will not switch to another, empty store. See the end of ${log} (below).`,
      { cause: error },
    );
  }
  logger.info({ port }, 'postgresql is ready');

  const stopArgs = command(programs.pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
  // pg_ctl starts a daemon, not our child: stop it when this process exits, however it exits.
  const onExit = () => {
    try {
      execFileSync(...stopArgs, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    // FerretDB reaches it through the Unix socket in the cluster directory: on loopback TCP
    // every one of its queries pays the TCP stack twice, a measured share of each tap's CPU.
    url: `postgres://postgres@/postgres?host=${encodeURIComponent(socketDir)}&port=${port}`,
    port,
    access: { psql: programs.psql, port },
    stop: () =>
      (stopping ??= (async () => {
        process.off('exit', onExit);
        await run(...stopArgs).catch((error: unknown) => logger.warn({ err: error }, 'could not stop postgresql'));
      })()),
  };
}

/**
 * Characters the socket directory cannot carry into the server's options: pg_ctl hands `-o`
 * to /bin/sh as it is, and `unix_socket_directories` is a comma-separated list that splits at
 * unquoted spaces (a checkout under "My Projects" would not start).
 */
const UNSAFE_IN_OPTIONS = /[\s'"`,\\$;&|<>()*?[\]#~!{}]/;

/**
 * Where PostgreSQL makes its socket: the cluster directory, unless the socket's path would be
 * longer than Linux allows (108 bytes; PostgreSQL then refuses to start for want of any
 * socket), as under a deep BOT_DATA_DIR, or the path holds characters the options cannot
 * carry: then /tmp, PostgreSQL's own usual place, where the port in the socket's name keeps
 * clusters apart.
 */
function socketDirFor(clusterDir: string, port: number): string {
  const fits = Buffer.byteLength(join(resolve(clusterDir), `.s.PGSQL.${port}`)) <= 100;
  return fits && !UNSAFE_IN_OPTIONS.test(resolve(clusterDir)) ? clusterDir : '/tmp';
}

/**
 * A postmaster still running on `data` (from a killed run) is shut down cleanly first. The pid
 * in postmaster.pid is trusted only if that process serves this very directory: a copy made
 * while the original ran names the original's postmaster, which is not ours to stop.
 */
async function stopStalePostgres(pgCtl: string, data: string, logger: Logger): Promise<void> {
  const pidFile = join(data, 'postmaster.pid');
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return; // PostgreSQL clears a dead one's file itself.
  const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  const servesThis = argv.some((arg, i) => (arg === '-D' && argv[i + 1] === data) || arg === `-D${data}`);
  if (!servesThis) {
    logger.warn(
      { pid, data },
      'postmaster.pid names a process that does not serve this cluster (a copied directory?); removing it',
    );
    await rm(pidFile, { force: true });
    return;
  }
  logger.warn({ pid, data }, 'stopping the PostgreSQL left running by a previous run');
  await run(...command(pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop'])).catch(async (error: unknown) => {
    logger.warn({ err: error }, 'pg_ctl stop failed; ending the stale postmaster');
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 50 && isRunning(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  });
}

async function serviceUserCanUse(dir: string): Promise<boolean> {
  try {
    await run('runuser', ['-u', SERVICE_USER, '--', 'test', '-r', dir, '-a', '-w', dir, '-a', '-x', dir]);
    return true;
  } catch {
    return false;
  }
}

async function serviceIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', SERVICE_USER]), run('id', ['-g', SERVICE_USER])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await chown(path, uid, gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid, gid);
    else await chown(child, uid, gid);
  }
}
