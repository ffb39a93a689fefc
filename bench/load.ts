/**
 * The load generator the benches share: keep-alive HTTP posts of pre-sealed bodies, an open
 * loop (requests leave on a fixed schedule and latency is measured from the scheduled time,
 * so a stall is not hidden: no coordinated omission) and a closed loop (a fixed number in
 * flight, for the ceiling), and the child-process plumbing that keeps the servers off the
 * generator's event loop.
 */
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';

export type Sealed = { body: string; headers: Record<string, string> };

export const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function post(port: number, path: string, sealed: Sealed): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { ...sealed.headers, 'content-length': Buffer.byteLength(sealed.body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(sealed.body);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export interface PhaseResult {
  sent: number;
  ok: number;
  errors: number;
  /** Why the failed requests failed: an HTTP status or a socket error code, with counts. */
  failures: string;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const failureLog = new Map<string, number>();

/** Counts a failed request under its reason, for the phase's summary line. */
function failed(reason: unknown): void {
  const key =
    typeof reason === 'number'
      ? `HTTP ${reason}`
      : ((reason as { code?: string }).code ?? (reason as Error).message ?? String(reason));
  failureLog.set(key, (failureLog.get(key) ?? 0) + 1);
}

function summarise(latencies: number[], errors: number, elapsedMs: number): PhaseResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const failures = [...failureLog].map(([k, n]) => `${k} ×${n}`).join(', ');
  failureLog.clear();
  return {
    sent: latencies.length + errors,
    ok: latencies.length,
    errors,
    failures,
    perSecond: (latencies.length * 1000) / elapsedMs,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

export async function openLoop(
  port: number,
  path: string,
  rate: number,
  seconds: number,
  next: () => Sealed,
): Promise<PhaseResult> {
  const total = rate * seconds;
  const bodies = Array.from({ length: total }, next);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = bodies[i];
    if (!body) continue;
    inFlight.push(
      post(port, path, body).then(
        (status) => {
          if (status === 200) latencies.push(performance.now() - due);
          else {
            errors += 1;
            failed(status);
          }
        },
        (error: unknown) => {
          errors += 1;
          failed(error);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return summarise(latencies, errors, performance.now() - start);
}

export async function closedLoop(
  port: number,
  path: string,
  concurrency: number,
  seconds: number,
  next: () => Sealed,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const body = next();
        const sentAt = performance.now();
        try {
          const status = await post(port, path, body);
          if (status === 200) latencies.push(performance.now() - sentAt);
          else {
            errors += 1;
            failed(status);
          }
        } catch (error) {
          errors += 1;
          failed(error);
        }
      }
    }),
  );
  return summarise(latencies, errors, performance.now() - start);
}

export function line(name: string, r: PhaseResult): string {
  const f = (n: number) => n.toFixed(1).padStart(8);
  return `${name.padEnd(22)}${f(r.perSecond)} ev/s  p50${f(r.p50)} ms  p90${f(r.p90)} ms  p99${f(r.p99)} ms  max${f(r.max)} ms  ok ${r.ok}/${r.sent}${r.failures ? ` (failed: ${r.failures})` : ''}`;
}

export function ask<T>(child: ChildProcess, cmd: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (msg: Record<string, unknown>) => {
      if (key in msg) {
        child.off('message', onMessage);
        resolve(msg[key] as T);
      }
    };
    child.on('message', onMessage);
    if (cmd) child.send({ cmd });
  });
}
