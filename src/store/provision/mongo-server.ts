/**
 * Finds or starts a MongoDB-wire server: the given URI, else a local `mongod`, else FerretDB.
 *
 * The bot's zero-config default and the test harness both need a real server, and no MongoDB
 * package is installable here, so FerretDB (built once with Go) is the last resort.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Logger } from '../../log/logger.js';
import {
  type BackendRecord,
  backendFile,
  detectExistingBackend,
  type EmbeddedBackend,
  newRecord,
  readBackendRecord,
  writeBackendRecord,
} from './backend-record.js';
import { claimDataDir, type OwnerRole } from './data-dir-owner.js';
import { ensureEqualityIndexes, type PostgresAccess } from './equality-indexes.js';
import { ensureFerretDbBinary, findExecutable } from './ferretdb-binary.js';
import { choosePostgresDir, postgresPrograms, startPostgres } from './postgres.js';
import { stopProcessesServing } from './stale-servers.js';
import { ensureStoreIdentity } from './store-identity.js';
import { StoreRefusal } from './store-refusal.js';

export interface MongoServerHandle {
  uri: string;
  kind: 'external' | 'mongod' | 'ferretdb';
  /** Embedded stores: the id recorded in backend.json and in the database (see store-identity.ts). */
  storeId?: string;
  backend?: EmbeddedBackend;
  /** The PostgreSQL this process started under FerretDB, if any (see equality-indexes.ts). */
  postgres?: PostgresAccess;
  /** True when another process (the running bot) serves this data directory and we only connect. */
  shared?: boolean;
  /** Stops a server we started (SIGTERM, SIGKILL after 5 s) and gives up the data directory; a no-op for external or shared ones. Idempotent. */
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
  /**
   * 'bot' (default) owns the data directory alone: a second bot is refused. 'script' (org:import,
   * feishu:check) connects to the running bot's server when there is one, else starts its own.
   */
  role?: OwnerRole;
}

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** Another process may grab the free port we picked before the server binds it; retry then. */
const START_ATTEMPTS = 3;
/** sun_path holds 108 bytes on Linux (104 on macOS); a little margin. */
const MAX_SOCKET_PATH = 100;
const OUTPUT_TAIL_CHARS = 4_000;

type ServerKind = 'mongod' | 'ferretdb';

interface StartedServer {
  uri: string;
  kind: ServerKind;
  pid?: number;
  postgresPort?: number;
  postgres?: PostgresAccess;
  stop(): Promise<void>;
}

/** Data directories this process has open, so two users in one process share one server. */
const openHere = new Map<string, { handle: Promise<MongoServerHandle>; users: number }>();

export async function provisionMongoServer(options: ProvisionOptions): Promise<MongoServerHandle> {
  const { uri, logger } = options;
  if (uri) {
    logger.info({ kind: 'external' }, 'using the MongoDB server given by URI');
    return { uri, kind: 'external', stop: () => Promise.resolve() };
  }
  const dataDir = resolve(options.dataDir);
  let entry = openHere.get(dataDir);
  if (!entry) {
    const opened = { handle: openEmbedded(dataDir, options), users: 0 };
    entry = opened;
    openHere.set(dataDir, opened);
    opened.handle.catch(() => openHere.get(dataDir) === opened && openHere.delete(dataDir));
  }
  const shared = entry;
  const handle = await shared.handle;
  shared.users++;
  let stopped: Promise<void> | undefined;
  return {
    ...handle,
    stop: () =>
      (stopped ??= (async () => {
        if (--shared.users > 0) return;
        if (openHere.get(dataDir) === shared) openHere.delete(dataDir);
        await handle.stop();
      })()),
  };
}

/**
 * Opens the data directory's own store: as its owner (stopping what a killed run left, then
 * starting the recorded backend), or through the running bot's server (commands).
 */
async function openEmbedded(dataDir: string, options: ProvisionOptions): Promise<MongoServerHandle> {
  const { logger } = options;
  const claim = await claimDataDir(dataDir, options.role ?? 'bot', logger);
  if (claim.kind === 'shared') {
    const record = await readBackendRecord(dataDir);
    if (record) await ensureStoreIdentity(claim.record.uri, record.storeId, backendFile(dataDir));
    logger.info({ pid: claim.record.pid, uri: claim.record.uri }, "using the running bot's database");
    return {
      uri: claim.record.uri,
      kind: claim.record.kind ?? 'ferretdb',
      storeId: record?.storeId,
      backend: record?.backend,
      shared: true,
      stop: () => Promise.resolve(),
    };
  }
  const owner = claim.owner;
  let createdOutside: string | undefined;
  try {
    // Always, not only after a stale owner record: versions before owner.json left no record.
    await stopProcessesServing(staleMarkers(options.dataDir, dataDir), logger);
    const { record, created, unrecorded } = await resolveBackend(dataDir, logger);
    if (created) createdOutside = record.postgresDir;
    const server = await startBackend(dataDir, record, created, options);
    try {
      await ensureStoreIdentity(server.uri, record.storeId, backendFile(dataDir));
      // Recorded only once the store has opened, so a failed first start leaves the choice open.
      if (unrecorded) await writeBackendRecord(dataDir, record);
      await owner.update({
        uri: server.uri,
        kind: server.kind,
        ferretdbPid: server.kind === 'ferretdb' ? server.pid : undefined,
        postgresPort: server.postgresPort,
      });
    } catch (error) {
      await server.stop();
      throw error;
    }
    createdOutside = undefined;
    return {
      uri: server.uri,
      kind: server.kind,
      storeId: record.storeId,
      backend: record.backend,
      postgres: server.postgres,
      stop: async () => {
        await server.stop();
        await owner.release();
      },
    };
  } catch (error) {
    if (createdOutside) await rm(createdOutside, { recursive: true, force: true });
    await owner.release();
    throw error;
  }
}

/** Arguments by which our servers name this data directory (as given, and absolute). */
function staleMarkers(given: string, absolute: string): string[] {
  return [...new Set([given, absolute])].flatMap((dir) => [
    `--state-dir=${join(dir, 'ferretdb', 'state')}`,
    join(dir, 'mongod'),
  ]);
}

/**
 * The recorded backend; for a directory made before records, the one its files show; for a
 * new one, HEHU_EMBEDDED_BACKEND or the best available (mongod, PostgreSQL, SQLite).
 */
async function resolveBackend(
  dataDir: string,
  logger: Logger,
): Promise<{ record: BackendRecord; created: boolean; unrecorded: boolean }> {
  const wanted = process.env.HEHU_EMBEDDED_BACKEND;
  const recorded = await readBackendRecord(dataDir);
  if (recorded) {
    if (wanted && wanted !== recorded.backend) {
      logger.warn(
        { wanted, recorded: recorded.backend },
        `HEHU_EMBEDDED_BACKEND is ignored: this data directory's records are in ${recorded.backend} (${backendFile(dataDir)})`,
      );
    }
    return { record: recorded, created: false, unrecorded: false };
  }
  const legacyPostgres = join(dataDir, 'postgres');
  const existing = await detectExistingBackend(dataDir, legacyPostgres);
  if (existing) {
    logger.info({ backend: existing }, 'recording the backend this data directory already uses');
    return { record: newRecord(existing), created: false, unrecorded: true };
  }
  const backend = isBackend(wanted)
    ? wanted
    : (await findExecutable('mongod'))
      ? 'mongod'
      : (await postgresPrograms())
        ? 'postgres'
        : 'sqlite';
  const record = newRecord(backend);
  if (backend === 'postgres') {
    const outside = await choosePostgresDir(dataDir, record.storeId, logger);
    if (outside) record.postgresDir = outside;
  }
  logger.info({ backend, postgresDir: record.postgresDir }, 'new data directory: choosing its database');
  return { record, created: true, unrecorded: true };
}

async function startBackend(
  dataDir: string,
  record: BackendRecord,
  created: boolean,
  options: ProvisionOptions,
): Promise<StartedServer> {
  const { logger } = options;
  if (record.backend === 'mongod') {
    const mongod = await findExecutable('mongod');
    if (!mongod) throw missing('mongod', dataDir, '请安装 MongoDB（mongod）后再启动', 'Install mongod and start again');
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
  const stateDir = join(dataDir, 'ferretdb', 'state');
  await mkdir(stateDir, { recursive: true });
  if (record.backend === 'postgres') {
    const postgres = await startPostgres({
      clusterDir: record.postgresDir ?? join(dataDir, 'postgres'),
      dataDir,
      port: await freeLoopbackPort(),
      create: created,
      logger,
    });
    // Before FerretDB opens the cluster: the trigger is in place for every index it creates.
    await ensureEqualityIndexes(postgres.access, logger);
    try {
      const server = await startServer('ferretdb', logger, (port) => ({
        file: ferretdb,
        args: ['--handler=pg', `--postgresql-url=${postgres.url}`, ...ferretDbCommon(stateDir, port)],
        socket: ferretDbSocket(stateDir),
      }));
      return {
        ...server,
        postgresPort: postgres.port,
        postgres: postgres.access,
        stop: async () => (await server.stop(), await postgres.stop()),
      };
    } catch (error) {
      await postgres.stop();
      throw error;
    }
  }
  // FerretDB's SQLite backend wants an existing directory, given as a URL ending in a slash.
  const sqliteDir = join(dataDir, 'ferretdb', 'data');
  if (!created && !existsSync(sqliteDir))
    throw missing(
      'SQLite',
      dataDir,
      `数据目录登记的 SQLite 数据（${sqliteDir}）不存在。请从备份恢复`,
      `The SQLite data recorded for it (${sqliteDir}) is missing. Restore it from a backup`,
    );
  await mkdir(sqliteDir, { recursive: true });
  return startServer('ferretdb', logger, (port) => ({
    file: ferretdb,
    args: ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`, ...ferretDbCommon(stateDir, port)],
    socket: ferretDbSocket(stateDir),
  }));
}

function missing(what: string, dataDir: string, zh: string, en: string): StoreRefusal {
  return new StoreRefusal(
    `数据目录 ${dataDir} 的数据保存在 ${what} 中（见 ${backendFile(dataDir)}）。${zh}；机器人不会改用另一个空的数据库。`,
    `${dataDir} keeps its records in ${what} (see ${backendFile(dataDir)}). ${en}; the bot will not switch to another, empty store.`,
  );
}

function isBackend(value: unknown): value is EmbeddedBackend {
  return value === 'postgres' || value === 'sqlite' || value === 'mongod';
}

/**
 * FerretDB also listens on a Unix socket in its state directory, and the bot talks to it
 * there: on loopback TCP each command pays the TCP stack on both sides, a measured share of a
 * card tap's CPU. The TCP port stays for tools that cannot use a socket. Socket paths are
 * limited to about 100 bytes; a data directory deeper than that keeps to TCP.
 */
function ferretDbSocket(stateDir: string): string | undefined {
  const path = join(resolve(stateDir), 'ferretdb.sock');
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH ? path : undefined;
}

function ferretDbCommon(stateDir: string, port: number): string[] {
  const socket = ferretDbSocket(stateDir);
  return [
    `--state-dir=${stateDir}`,
    `--listen-addr=127.0.0.1:${port}`,
    ...(socket ? [`--listen-unix=${socket}`] : []),
    '--debug-addr=-',
    '--telemetry=disable',
    // WARN logs every client disconnect (no endSessions support); real failures are ERROR.
    '--log-level=ERROR',
  ];
}

async function startServer(
  kind: ServerKind,
  logger: Logger,
  command: (port: number) => { file: string; args: string[]; socket?: string },
): Promise<StartedServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const tcpUri = `mongodb://127.0.0.1:${port}/`;
    const { file, args, socket } = command(port);
    // Left by a killed run (this data directory is ours now: data-dir-owner.ts); a server
    // cannot listen where a socket file exists.
    if (socket) await rm(socket, { force: true });
    // The driver takes a socket as a percent-encoded path ending in .sock.
    const uri = socket ? `mongodb://${encodeURIComponent(socket)}/` : tcpUri;
    logger.info({ kind, port }, `starting ${kind}`);
    // Its own process group: a Ctrl-C or a group SIGTERM meant for the bot must not take the
    // database away while the bot drains; the bot stops it last.
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: serverEnv() });
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
    return { uri, kind, pid: child.pid, stop };
  }
}

/**
 * FerretDB is a Go program: with Go's default GOGC=100 its garbage collector took about a
 * sixth of its CPU per card tap; at 400 it collects a quarter as often (measured: FerretDB
 * CPU per tap 11.3 → 9.4 ms) for a heap of tens of megabytes more. GOMEMLIMIT makes it
 * collect sooner if the heap ever nears 1 GiB. Settings in the environment win.
 */
function serverEnv(): NodeJS.ProcessEnv {
  return { GOGC: '400', GOMEMLIMIT: '1GiB', ...process.env };
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
