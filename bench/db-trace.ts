/**
 * Where a bench's database time goes: counts every command the driver sends (its command
 * monitoring, switched on by `monitorCommands=true` in the URI) by operation and collection,
 * with the time from sending to answer. `recordOne` keeps the commands of one stretch in order,
 * to list what a single request does step by step.
 */
import type { MongoClient } from 'mongodb';

export interface TraceRow {
  key: string;
  n: number;
  ms: number;
}

export interface DbTrace {
  reset(): void;
  /** Rows sorted by total time, and the sum of all. */
  rows(): { rows: TraceRow[]; total: { n: number; ms: number } };
  /** From now until `stop()`, the commands in the order they were answered. */
  recordOne(): { stop(): Array<{ key: string; ms: number }> };
}

/** The URI with command monitoring on, when tracing is asked for. */
export function tracedUri(uri: string, on: boolean): string {
  if (!on) return uri;
  return `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
}

export function attachTrace(client: MongoClient): DbTrace {
  const totals = new Map<string, { n: number; ms: number }>();
  const pending = new Map<number, { key: string; at: number }>();
  let sequence: Array<{ key: string; ms: number }> | undefined;
  client.on('commandStarted', (e) => {
    const target = (e.command as Record<string, unknown>)[e.commandName];
    pending.set(e.requestId, {
      key: `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim(),
      at: performance.now(),
    });
  });
  const finish = (e: { requestId: number }) => {
    const p = pending.get(e.requestId);
    if (!p) return;
    pending.delete(e.requestId);
    const ms = performance.now() - p.at;
    const t = totals.get(p.key) ?? { n: 0, ms: 0 };
    t.n += 1;
    t.ms += ms;
    totals.set(p.key, t);
    sequence?.push({ key: p.key, ms });
  };
  client.on('commandSucceeded', finish);
  client.on('commandFailed', finish);
  return {
    reset: () => totals.clear(),
    rows: () => {
      const rows = [...totals.entries()].map(([key, t]) => ({ key, ...t })).sort((a, b) => b.ms - a.ms);
      const total = rows.reduce((sum, r) => ({ n: sum.n + r.n, ms: sum.ms + r.ms }), { n: 0, ms: 0 });
      return { rows, total };
    },
    recordOne: () => {
      const recorded: Array<{ key: string; ms: number }> = [];
      sequence = recorded;
      return {
        stop: () => {
          sequence = undefined;
          return recorded;
        },
      };
    },
  };
}

/** The trace as lines: per key, calls per request and mean time, for `requests` requests. */
export function traceLines(trace: DbTrace, requests: number, top = 30): string[] {
  const { rows, total } = trace.rows();
  const per = (n: number) => (requests ? (n / requests).toFixed(2) : '-').padStart(6);
  return [
    `${'per req'.padStart(6)}  ${'mean'.padStart(7)}  ${'total'.padStart(8)}  command collection`,
    ...rows
      .slice(0, top)
      .map(
        (r) => `${per(r.n)}  ${(r.ms / r.n).toFixed(1).padStart(5)} ms  ${r.ms.toFixed(0).padStart(5)} ms  ${r.key}`,
      ),
    `${per(total.n)}  ${(total.n ? total.ms / total.n : 0).toFixed(1).padStart(5)} ms  ${total.ms.toFixed(0).padStart(5)} ms  all database commands (${total.n} for ${requests} requests)`,
  ];
}
