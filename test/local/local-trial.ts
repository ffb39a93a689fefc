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
