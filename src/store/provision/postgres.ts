/**
 * A private PostgreSQL for FerretDB, when the machine has PostgreSQL's programs. FerretDB on
 * PostgreSQL answers filtered reads and writes from indexes; on SQLite every write reads the
 * whole collection, which caps the bot at a few taps a second once a district has thousands
 * of problems. SQLite stays the fallback when PostgreSQL is absent or will not start.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../log/logger.js';
import { findExecutable } from './ferretdb-binary.js';

const run = promisify(execFile);
/** Debian keeps the server programs outside PATH. */
const PG_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
/** PostgreSQL refuses to run as root; as root we run it as this system user. */
const SERVICE_USER = 'postgres';

export interface PostgresHandle {
  url: string;
  stop(): Promise<void>;
}

/** Starts PostgreSQL on `dataDir/postgres` (created on first use) and a free port; undefined when not installed. */
export async function startPostgres(dataDir: string, port: number, logger: Logger): Promise<PostgresHandle | undefined> {
  const initdb = await findExecutable('initdb', PG_DIRS);
  const pgCtl = await findExecutable('pg_ctl', PG_DIRS);
  if (!initdb || !pgCtl) return undefined;
  const asRoot = process.getuid?.() === 0;
  const command = (file: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', SERVICE_USER, '--', file, ...args]] : [file, args]);

  // Absolute: PostgreSQL resolves the socket directory from inside its data directory.
  const dir = join(resolve(dataDir), 'postgres');
  const data = join(dir, 'data');
  await mkdir(dir, { recursive: true });
  if (asRoot) {
    // The service user must reach its directory: let it through ours, and own its own.
    await chmod(dataDir, 0o711);
    const { uid, gid } = await serviceIds();
    await chownTree(dir, uid, gid);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    await run(...command(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']));
  }
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  await run(...command(pgCtl, ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o', options, 'start']));
  logger.info({ port }, 'postgresql is ready');

  const stopArgs = command(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
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
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () =>
      (stopping ??= (async () => {
        process.off('exit', onExit);
        await run(...stopArgs).catch((error: unknown) => logger.warn({ err: error }, 'could not stop postgresql'));
      })()),
  };
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
