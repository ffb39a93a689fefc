/**
 * Builds and caches the FerretDB binary that stands in for MongoDB when no server is given.
 *
 * No MongoDB package is installable on our machines, but the Go module proxy is reachable,
 * so we build FerretDB (SQLite backend) from its published module source once per cache dir.
 * `go install` alone is not enough: the module lacks the generated build/version/version.txt
 * and the resulting binary panics at start, so we build from a writable copy of the source.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../log/logger.js';

const execFileAsync = promisify(execFile);

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

/** How long a build may run before we give up; a cold module cache on a slow link is minutes. */
const BUILD_TIMEOUT_MS = 30 * 60_000;
/** A lock older than this is from a build that cannot still be running. */
const STALE_LOCK_MS = BUILD_TIMEOUT_MS + 60_000;
const LOCK_POLL_MS = 1_000;
const PROGRESS_EVERY_MS = 30_000;

const GO_MISSING_HELP =
  'Install Go (1.24 or newer, https://go.dev/dl/) so FerretDB can be built, ' +
  'or set MONGODB_URI to a MongoDB 6+ server.';

/** Where built tools are kept between runs: $HEHU_CACHE_DIR, else the XDG cache dir. */
export function defaultCacheDir(): string {
  const explicit = process.env.HEHU_CACHE_DIR;
  if (explicit) return explicit;
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'hehu-assistant');
}

/** The absolute path of an executable file named `name` on PATH, or undefined. */
export async function findExecutable(name: string, extraDirs: readonly string[] = []): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extraDirs].filter((dir) => dir !== '');
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The path of the cached FerretDB binary, building it first when it is not there yet.
 * Safe to call from several processes at once: one builds, the others wait for it.
 */
export async function ensureFerretDbBinary(options: { cacheDir?: string; logger: Logger }): Promise<string> {
  const { logger } = options;
  const versionDir = join(options.cacheDir ?? defaultCacheDir(), `ferretdb-${FERRETDB_VERSION}`);
  const binary = join(versionDir, 'ferretdb');
  if (await isExecutableFile(binary)) return binary;

  try {
    await mkdir(versionDir, { recursive: true });
  } catch (error) {
    throw new Error(
      `Cannot create the FerretDB cache directory ${versionDir} (${errorMessage(error)}). ` +
        'Set HEHU_CACHE_DIR to a writable directory, or set MONGODB_URI to a MongoDB 6+ server.',
      { cause: error },
    );
  }
  const lockDir = join(versionDir, 'build.lock');
  const release = await acquireLock(lockDir, binary, logger);
  if (release === 'built-by-other') return binary;
  try {
    // Someone may have finished between our first check and taking the lock.
    if (await isExecutableFile(binary)) return binary;
    await buildFerretDb(binary, logger);
    return binary;
  } finally {
    await release();
  }
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

type Release = () => Promise<void>;

/**
 * Takes the build lock (an atomically created directory), or waits until another process's
 * build produces the binary. A lock whose owner died (same host, pid gone) or that is older
 * than any build could take is removed and retaken.
 */
async function acquireLock(lockDir: string, binary: string, logger: Logger): Promise<Release | 'built-by-other'> {
  let announcedWait = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(
        join(lockDir, 'owner.json'),
        JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }),
      );
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (!isErrnoException(error) || error.code !== 'EEXIST') throw error;
    }
    if (await isExecutableFile(binary)) return 'built-by-other';
    if (await isStaleLock(lockDir)) {
      logger.warn({ lockDir }, 'removing stale FerretDB build lock');
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announcedWait) {
      logger.info({ lockDir }, 'another process is building FerretDB; waiting for it');
      announcedWait = true;
    }
    await delay(LOCK_POLL_MS);
  }
}

async function isStaleLock(lockDir: string): Promise<boolean> {
  let created: number;
  try {
    created = (await stat(lockDir)).mtimeMs;
  } catch {
    return false; // Already gone: the next mkdir attempt will tell.
  }
  if (Date.now() - created > STALE_LOCK_MS) return true;
  const owner = await readLockOwner(lockDir);
  // The owner writes its file right after mkdir; give it a moment before judging.
  if (!owner) return Date.now() - created > 10_000;
  if (owner.host !== hostname()) return false;
  return !isProcessAlive(owner.pid);
}

async function readLockOwner(lockDir: string): Promise<{ pid: number; host: string } | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { pid, host } = parsed as Record<string, unknown>;
    return typeof pid === 'number' && typeof host === 'string' ? { pid, host } : undefined;
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else.
    return isErrnoException(error) && error.code === 'EPERM';
  }
}

/** Builds FerretDB into a temp file next to `binary`, checks it runs, then renames it in place. */
async function buildFerretDb(binary: string, logger: Logger): Promise<void> {
  // Go installs often live outside a non-login shell's PATH.
  const go = await findExecutable('go', [join(process.env.GOROOT ?? '/usr/local/go', 'bin'), '/usr/local/go/bin']);
  if (!go) throw new Error(`FerretDB ${FERRETDB_VERSION} is not built yet and Go is not installed. ${GO_MISSING_HELP}`);

  const started = Date.now();
  logger.info({ go, binary }, `building FerretDB ${FERRETDB_VERSION} with Go; this takes a few minutes, once`);
  const progress = setInterval(() => {
    logger.info({ elapsedSeconds: Math.round((Date.now() - started) / 1000) }, 'still building FerretDB');
  }, PROGRESS_EVERY_MS);
  progress.unref();

  const sourceDir = await mkdtemp(join(tmpdir(), 'hehu-ferretdb-src-'));
  const partial = `${binary}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const moduleDir = await downloadModule(go);
    await cp(moduleDir, sourceDir, { recursive: true });
    // The module cache is read-only; the copy must be writable to add version.txt and to delete it.
    await makeWritable(sourceDir);
    await writeFile(join(sourceDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    await runGo(go, ['build', '-trimpath', '-buildvcs=false', '-o', partial, './cmd/ferretdb'], sourceDir);
    await checkRuns(partial);
    await rename(partial, binary);
    logger.info({ binary, seconds: Math.round((Date.now() - started) / 1000) }, 'FerretDB built');
  } catch (error) {
    throw new Error(
      `Building FerretDB ${FERRETDB_VERSION} failed: ${errorMessage(error)}\n` +
        'Check that Go 1.24+ can reach its module proxy, or set MONGODB_URI to a MongoDB 6+ server.',
      { cause: error },
    );
  } finally {
    clearInterval(progress);
    await rm(partial, { force: true });
    await rm(sourceDir, { recursive: true, force: true });
  }
}

/** Fetches the FerretDB module source into Go's module cache and returns its directory. */
async function downloadModule(go: string): Promise<string> {
  const { stdout } = await execFileAsync(go, ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
    // Outside any module, so a go.mod in the current directory cannot interfere.
    cwd: tmpdir(),
    env: goEnv(),
    maxBuffer: 1024 * 1024,
    timeout: BUILD_TIMEOUT_MS,
  });
  const parsed: unknown = JSON.parse(stdout);
  const dir = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).Dir : undefined;
  if (typeof dir !== 'string') throw new Error(`go mod download gave no source directory: ${stdout.slice(0, 500)}`);
  return dir;
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(path);
    else if (entry.isFile()) await chmod(path, 0o644);
  }
}

/** Runs go asynchronously (a build takes minutes), keeping the tail of its output for errors. */
function runGo(go: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, args, { cwd, env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`go ${args.join(' ')} exited with ${signal ?? `code ${code}`}:\n${output.trim()}`));
    });
  });
}

/** A binary without a valid embedded version panics at once; catch that before caching it. */
async function checkRuns(binary: string): Promise<void> {
  const { stdout } = await execFileAsync(binary, ['--version'], { timeout: 30_000 });
  if (!stdout.includes(FERRETDB_VERSION))
    throw new Error(`built binary reports an unexpected version: ${stdout.trim()}`);
}

function goEnv(): NodeJS.ProcessEnv {
  // FerretDB's SQLite driver is pure Go, so skip cgo: no C compiler needed, and a static binary.
  return { ...process.env, CGO_ENABLED: '0' };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
