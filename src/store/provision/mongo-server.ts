/**
 * Finds or starts a MongoDB-wire server: the given URI, else a local `mongod`, else FerretDB.
 *
 * The bot's zero-config default and the test harness both need a real server, and no MongoDB
 * package is installable here, so FerretDB (built once with Go) is the last resort.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Logger } from '../../log/logger.js';
import { ensureFerretDbBinary, findExecutable } from './ferretdb-binary.js';
import { startPostgres, type PostgresHandle } from './postgres.js';

export interface MongoServerHandle {
  uri: string;
  kind: 'external' | 'mongod' | 'ferretdb';
  /** Stops a server we started (SIGTERM, SIGKILL after 5 s); a no-op for external ones. Idempotent. */
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  /** A server to use as is, e.g. from MONGODB_URI. */
  uri?: string;
  /** Where a started server keeps its data; reused across restarts. */
  dataDir: string;
  logger: Logger;
  /** Where the FerretDB build is cached; see defaultCacheDir(). */
  cacheDir?: string;
}

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** Another process may grab the free port we picked before the server binds it; retry then. */
const START_ATTEMPTS = 3;
const OUTPUT_TAIL_CHARS = 4_000;

type ServerKind = 'mongod' | 'ferretdb';

export async function provisionMongoServer(options: ProvisionOptions): Promise<MongoServerHandle> {
  const { uri, dataDir, logger } = options;
  if (uri) {
    logger.info({ kind: 'external' }, 'using the MongoDB server given by URI');
    return { uri, kind: 'external', stop: () => Promise.resolve() };
  }

  const mongod = await findExecutable('mongod');
  if (mongod) {
    const dbPath = join(dataDir, 'mongod');
    await mkdir(dbPath, { recursive: true });
    return startServer('mongod', logger, (port) => ({
      file: mongod,
      args: ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port)],
    }));
  }

  let ferretdb: string;
  try {
    ferretdb = await ensureFerretDbBinary({ cacheDir: options.cacheDir, logger });
  } catch (error) {
    throw new Error(
      `No MongoDB server available: MONGODB_URI is not set, no mongod is on PATH, and FerretDB could not be provided. ${errorMessage(error)}`,
      { cause: error },
    );
  }
  const postgres = await startPostgresOrNot(dataDir, logger);
  if (postgres) {
    try {
      const server = await startServer('ferretdb', logger, (port) => ({
        file: ferretdb,
        args: ['--handler=pg', `--postgresql-url=${postgres.url}`, ...ferretDbCommon(join(dataDir, 'ferretdb', 'state'), port)],
      }));
      return { ...server, stop: async () => (await server.stop(), await postgres.stop()) };
    } catch (error) {
      await postgres.stop();
      throw error;
    }
  }
  // FerretDB's SQLite backend wants an existing directory, given as a URL ending in a slash.
  const sqliteDir = join(dataDir, 'ferretdb', 'data');
  const stateDir = join(dataDir, 'ferretdb', 'state');
  await mkdir(sqliteDir, { recursive: true });
  await mkdir(stateDir, { recursive: true });
  return startServer('ferretdb', logger, (port) => ({
    file: ferretdb,
    args: ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`, ...ferretDbCommon(stateDir, port)],
  }));
}

function ferretDbCommon(stateDir: string, port: number): string[] {
  return [
    `--state-dir=${stateDir}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    // WARN logs every client disconnect (no endSessions support); real failures are ERROR.
    '--log-level=ERROR',
  ];
}

/**
 * PostgreSQL for FerretDB when it is installed and starts; otherwise undefined and FerretDB
 * uses SQLite. HEHU_EMBEDDED_BACKEND=sqlite forces SQLite.
 */
async function startPostgresOrNot(dataDir: string, logger: Logger): Promise<PostgresHandle | undefined> {
  if (process.env.HEHU_EMBEDDED_BACKEND === 'sqlite') return undefined;
  // A data dir that already holds SQLite data keeps using it: switching would hide that data.
  const sqliteDir = join(dataDir, 'ferretdb', 'data');
  if (!existsSync(join(dataDir, 'postgres')) && existsSync(sqliteDir) && (await readdir(sqliteDir)).length > 0) return undefined;
  try {
    await mkdir(join(dataDir, 'ferretdb', 'state'), { recursive: true });
    return await startPostgres(dataDir, await freeLoopbackPort(), logger);
  } catch (error) {
    logger.warn({ err: error }, 'postgresql did not start; FerretDB will use SQLite');
    return undefined;
  }
}

async function startServer(
  kind: ServerKind,
  logger: Logger,
  command: (port: number) => { file: string; args: string[] },
): Promise<MongoServerHandle> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const uri = `mongodb://127.0.0.1:${port}/`;
    const { file, args } = command(port);
    logger.info({ kind, port }, `starting ${kind}`);
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = captureOutput(child, kind, logger);
    const stop = stopOnce(child);
    try {
      await waitUntilReady(uri, kind, child, output);
    } catch (error) {
      await stop();
      if (attempt < START_ATTEMPTS && /address already in use/i.test(output.tail())) continue;
      throw error;
    }
    logger.info({ kind, uri }, `${kind} is ready`);
    return { uri, kind, stop };
  }
}

/** Asks the OS for a free port by binding port 0, then releases it for the server to take. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

interface OutputTail {
  tail(): string;
}

/** Drains the child's pipes (so it never blocks on them), logging lines and keeping the tail. */
function captureOutput(child: ChildProcess, kind: ServerKind, logger: Logger): OutputTail {
  let tail = '';
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
    for (const line of text.split('\n')) {
      if (line.trim() !== '') logger.debug({ kind, line }, 'server output');
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return { tail: () => tail.trim() };
}

/** Polls with `ping` until the server answers, failing fast if the child exits first. */
async function waitUntilReady(uri: string, kind: ServerKind, child: ChildProcess, output: OutputTail): Promise<void> {
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error) => resolve(new Error(`could not start ${kind}: ${error.message}`)));
    // 'close' rather than 'exit': by then the pipes are drained, so the tail is complete.
    child.once('close', (code, signal) => {
      const tail = output.tail();
      resolve(new Error(`${kind} exited during startup (${signal ?? `code ${code}`})${tail ? `:\n${tail}` : ''}`));
    });
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const result = await Promise.race([ping(uri), exited]);
    if (result instanceof Error) throw result;
    if (result) return;
    const afterPause = await Promise.race([delay(250), exited]);
    if (afterPause instanceof Error) throw afterPause;
  }
  const tail = output.tail();
  throw new Error(
    `${kind} did not answer ping within ${STARTUP_TIMEOUT_MS / 1000} s${tail ? `:\n${tail}` : ''}\n` +
      'Set MONGODB_URI to a running MongoDB 6+ server instead.',
  );
}

async function ping(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, {
    directConnection: true,
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 1_000,
    socketTimeoutMS: 2_000,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

// Children still running when this process exits are told to stop, so a crash or a forgotten
// stop() leaves no server behind. (A SIGKILL of this process cannot be caught.)
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    process.once('exit', () => {
      for (const running of liveChildren) running.kill('SIGTERM');
    });
    exitHookInstalled = true;
  }
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/** An idempotent stop: SIGTERM, then SIGKILL if the child lingers past the grace period. */
function stopOnce(child: ChildProcess): () => Promise<void> {
  track(child);
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stopChild(child));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
