import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { type LocalMode, startLocalMode } from '../../src/local/local-mode.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { captureLogs } from '../helpers/logs.js';

/** A local-mode bot (fake Feishu, settable clock, example district) for a test file, and how to call its API. */
export interface LocalTrial {
  local: LocalMode;
  db: TestDatabase;
  dataDir: string;
  url: string;
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  post<T = unknown>(path: string, body: unknown): Promise<{ status: number; body: T }>;
}

export function useLocalTrial(): LocalTrial {
  let started: LocalTrial | undefined;
  beforeAll(async () => {
    const db = await openTestDatabase();
    const dataDir = await mkdtemp(join(tmpdir(), 'hehu-local-'));
    const config = loadConfig({ MONGODB_URI: db.uri, PORT: '0', BOT_DATA_DIR: dataDir });
    const local = await startLocalMode({
      config,
      logger: captureLogs().logger,
      host: '127.0.0.1',
      importExample: true,
    });
    const url = local.bot.url;
    const call = async <T>(path: string, init?: RequestInit) => {
      const res = await fetch(`${url}${path}`, init);
      const text = await res.text();
      return {
        status: res.status,
        body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T,
      };
    };
    started = {
      local,
      db,
      dataDir,
      url,
      get: (path) => call(path),
      post: (path, body) =>
        call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    };
  }, 60_000);
  afterAll(async () => {
    await started?.local.stop();
    await started?.db.close();
    if (started) await rm(started.dataDir, { recursive: true, force: true });
  });
  return new Proxy({} as LocalTrial, {
    get(_target, property) {
      if (!started) throw new Error('the local trial is not started yet: use it inside tests or hooks');
      return Reflect.get(started, property) as unknown;
    },
  });
}

/** The callback value of the card's first button whose label matches. */
export function buttonValue(card: unknown, label: RegExp): Record<string, unknown> | undefined {
  if (Array.isArray(card)) {
    for (const child of card) {
      const found = buttonValue(child, label);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof card !== 'object' || card === null) return undefined;
  const node = card as Record<string, unknown>;
  const text = (node.text as { content?: string } | undefined)?.content ?? '';
  if (node.tag === 'button' && label.test(text)) {
    const behaviors = (node.behaviors ?? []) as Array<{ type: string; value?: Record<string, unknown> }>;
    return behaviors.find((b) => b.type === 'callback')?.value ?? {};
  }
  for (const child of Object.values(node)) {
    const found = buttonValue(child, label);
    if (found) return found;
  }
  return undefined;
}

/** The first working weekday on or after the 24th of next month, 10:00 Shanghai time: a monthly reminder is due. */
export function reminderDay(now: Date): Date {
  for (let day = 24; ; day++) {
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, day, 2, 0));
    if (at.getUTCDay() !== 0 && at.getUTCDay() !== 6) return at;
  }
}
