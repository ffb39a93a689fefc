/**
 * CPU time spent by the bench's server side, per process kind: the bot (this Node process),
 * FerretDB (its child) and PostgreSQL (the postmaster FerretDB talks to, and its backends).
 * Unlike latencies, CPU time per request hardly changes when other work shares the machine,
 * so it tells whether a change made the work cheaper even on a busy machine. Linux only
 * (`/proc`); elsewhere every figure is 0.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuUse {
  bot: number;
  ferretdb: number;
  postgres: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime + cutime + cstime, in ms. */
  ms: number;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is state (field 3): ppid is field 4, utime..cstime are fields 14..17.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    return { pid, ppid: Number(fields[1]), comm, ms: ticks * TICK_MS };
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** CPU ms used so far by this process, its FerretDB and that FerretDB's PostgreSQL. */
export function cpuUse(): CpuUse {
  const use: CpuUse = { bot: readProc(process.pid)?.ms ?? 0, ferretdb: 0, postgres: 0 };
  let all: ProcInfo[];
  try {
    all = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((name) => readProc(Number(name)))
      .filter((p): p is ProcInfo => !!p);
  } catch {
    return use;
  }
  const ports = new Set<string>();
  for (const p of all.filter((x) => x.ppid === process.pid && x.comm === 'ferretdb')) {
    use.ferretdb += p.ms;
    // postgres://…@127.0.0.1:PORT/… (TCP) or postgres://…@/postgres?host=…&port=PORT (socket).
    const url = /postgresql-url=(\S+)/.exec(cmdline(p.pid))?.[1] ?? '';
    const port = (/[?&]port=(\d+)/.exec(url) ?? /:(\d+)\//.exec(url))?.[1];
    if (port) ports.add(port);
  }
  const postmasters = new Set(
    all
      .filter((p) => p.comm === 'postgres' && [...ports].some((port) => cmdline(p.pid).includes(` -p ${port} `)))
      .map((p) => p.pid),
  );
  for (const p of all) if (postmasters.has(p.pid) || postmasters.has(p.ppid)) use.postgres += p.ms;
  return use;
}

/** CPU used between two readings, per request, as a line. */
export function cpuLine(from: CpuUse, to: CpuUse, requests: number): string {
  const per = (a: number, b: number) => (requests ? (b - a) / requests : 0).toFixed(1).padStart(5);
  const total = to.bot + to.ferretdb + to.postgres - (from.bot + from.ferretdb + from.postgres);
  return `CPU per request: bot ${per(from.bot, to.bot)} ms, FerretDB ${per(from.ferretdb, to.ferretdb)} ms, PostgreSQL ${per(from.postgres, to.postgres)} ms, all ${(requests ? total / requests : 0).toFixed(1)} ms (${requests} requests)`;
}
