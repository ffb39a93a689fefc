/**
 * The backend recorded for a data directory decides, not the environment of the day, and a
 * copy of a data directory never runs on the original's PostgreSQL cluster.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { readBackendRecord } from '../../src/store/provision/backend-record.js';
import { type MongoServerHandle, provisionMongoServer } from '../../src/store/provision/mongo-server.js';
import { isStoreRefusal } from '../../src/store/provision/store-refusal.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  delete process.env.HEHU_EMBEDDED_BACKEND;
});

/** 0700, like a checkout in root's home: PostgreSQL's user cannot enter it. */
async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hehu-backend-test-'));
  cleanups.push(async () => {
    const record = await readBackendRecord(join(dir, 'db')).catch(() => undefined);
    if (record?.postgresDir) await rm(record.postgresDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

async function provision(dataDir: string): Promise<MongoServerHandle> {
  const server = await provisionMongoServer({ dataDir, logger: silentLogger() });
  cleanups.push(() => server.stop());
  return server;
}

async function withClient<T>(uri: string, work: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 5_000 });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

describe.skipIf(Boolean(process.env.MONGODB_URI))('the backend recorded for a data directory', () => {
  it('HEHU_EMBEDDED_BACKEND chooses for a new data directory only', { timeout: 60_000 }, async () => {
    const dataDir = await freshDataDir();
    process.env.HEHU_EMBEDDED_BACKEND = 'sqlite';
    const first = await provision(dataDir);
    expect(first.backend).toBe('sqlite');
    await withClient(first.uri, (client) => client.db('keep').collection('rivers').insertOne({ name: '清水河' }));
    await first.stop();

    process.env.HEHU_EMBEDDED_BACKEND = 'postgres';
    const second = await provision(dataDir);
    expect(second.backend).toBe('sqlite');
    expect(second.storeId).toBe(first.storeId);
    expect(
      await withClient(second.uri, (client) => client.db('keep').collection('rivers').findOne({ name: '清水河' })),
    ).toMatchObject({ name: '清水河' });
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a copy of a data directory whose cluster lives outside it is refused, not run on the original cluster',
    { timeout: 60_000 },
    async () => {
      // As the bot lays it out: the store in BOT_DATA_DIR/db, BOT_DATA_DIR closed to others.
      const original = join(await freshDataDir(), 'db');
      const server = await provision(original);
      const record = await readBackendRecord(original);
      expect(record).toMatchObject({
        backend: 'postgres',
        postgresDir: expect.stringMatching(/^\/var\/lib\/hehu-assistant\//) as unknown,
      });
      await server.stop();

      const copyRoot = await mkdtemp(join(tmpdir(), 'hehu-backend-copy-'));
      cleanups.push(() => rm(copyRoot, { recursive: true, force: true }));
      const copy = join(copyRoot, 'db');
      await cp(original, copy, { recursive: true });
      const refused = await provisionMongoServer({ dataDir: copy, logger: silentLogger() }).then(
        (handle) => (cleanups.push(() => handle.stop()), undefined),
        (error: unknown) => error,
      );
      expect(isStoreRefusal(refused)).toBe(true);
      expect((refused as Error).message).toContain(`属于数据目录 ${original}`);
      // The original still opens, with its records.
      const again = await provision(original);
      expect(again.storeId).toBe(record!.storeId);
    },
  );
});
