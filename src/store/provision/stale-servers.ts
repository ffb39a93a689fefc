/**
 * Servers left running by a killed run. `kill -9` of the bot cannot stop its children:
 * FerretDB keeps listening on the old port and PostgreSQL (a daemon) keeps its data directory
 * locked, so the next start could not open the store. They are found by the data directory
 * they serve (not by name, so nobody else's servers are touched) and stopped before we start.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { Logger } from '../../log/logger.js';
import { isRunning } from './data-dir-owner.js';

const STOP_GRACE_MS = 5_000;

/** Stops every process whose command line carries one of `markers` (exact arguments), except this process. */
export async function stopProcessesServing(markers: readonly string[], logger: Logger): Promise<number[]> {
  const pids = await processesWithArgument(markers);
  for (const pid of pids) {
    logger.warn({ pid }, 'stopping a database server left by a previous run');
    signal(pid, 'SIGTERM');
  }
  const deadline = Date.now() + STOP_GRACE_MS;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = left.filter(alive);
  }
  for (const pid of left) signal(pid, 'SIGKILL');
  return pids;
}

/** Pids (Linux /proc) whose argv contains one of `markers`; empty where /proc is absent. */
async function processesWithArgument(markers: readonly string[]): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let argv: string[];
    try {
      argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    if (argv.some((arg) => markers.includes(arg))) found.push(pid);
  }
  return found;
}

function alive(pid: number): boolean {
  return isRunning(pid);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
