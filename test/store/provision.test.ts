import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { silentLogger } from '../../src/log/logger.js';
import { type MongoServerHandle, provisionMongoServer } from '../../src/store/provision/mongo-server.js';
import { openTestDatabase, testDatabaseName, withDatabaseName } from '../helpers/database.js';

/** Runs `work` with a short-lived client, so a stopped server is not left with open sockets. */
async function withClient<T>(uri: string, work: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 2_000 });
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.close();
  }
}

// With MONGODB_URI set, global setup did not build FerretDB and this machine may lack Go.
describe.skipIf(Boolean(process.env.MONGODB_URI))('provisionMongoServer (local server)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshDataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'hehu-provision-test-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  async function provision(dataDir: string): Promise<MongoServerHandle> {
    const server = await provisionMongoServer({ dataDir, logger: silentLogger() });
    cleanups.push(() => server.stop());
    return server;
  }

  it('keeps documents across a restart on the same data dir', { timeout: 120_000 }, async () => {
    const dataDir = await freshDataDir();
    const first = await provision(dataDir);
    expect(first.kind).not.toBe('external');
    // Local only: FerretDB's Unix socket inside the data directory, or loopback TCP (mongod).
    expect(first.uri).toMatch(/^mongodb:\/\/(127\.0\.0\.1:\d+|%2F\S+%2Fferretdb\.sock)\/$/);
    await withClient(first.uri, (client) =>
      client.db('persist').collection('rivers').insertOne({ name: '清水河', length: 42 }),
    );
    await first.stop();

    const second = await provision(dataDir);
    const found = await withClient(second.uri, (client) =>
      client.db('persist').collection('rivers').findOne({ name: '清水河' }),
    );
    expect(found).toMatchObject({ name: '清水河', length: 42 });
  });

  it('talks over a socket in the data directory, or loopback TCP where that path is too long for one', {
    timeout: 120_000,
  }, async () => {
    const shallow = await freshDataDir();
    const near = await provision(shallow);
    expect(near.uri).toBe(`mongodb://${encodeURIComponent(join(shallow, 'ferretdb', 'state', 'ferretdb.sock'))}/`);
    // Linux keeps a socket path in 108 bytes: a deeper data directory cannot have one, neither
    // for FerretDB nor for PostgreSQL's cluster inside it (reachable by its service user here).
    const base = await freshDataDir();
    await chmod(base, 0o755);
    const deep = join(base, 'a'.repeat(60), 'b'.repeat(40));
    const far = await provision(deep);
    expect(far.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    const backend = JSON.parse(await readFile(join(deep, 'backend.json'), 'utf8')) as { postgresDir?: string };
    if (far.postgres) expect(backend.postgresDir).toBeUndefined();
    for (const server of [near, far]) {
      const reply = await withClient(server.uri, (client) => client.db('admin').command({ ping: 1 }));
      expect(reply.ok).toBe(1);
    }
  });

  it('starts on a data directory whose path has spaces, as a checkout under “My Projects” has', {
    timeout: 120_000,
  }, async () => {
    const base = await freshDataDir();
    await chmod(base, 0o755);
    const spaced = join(base, 'My Projects', "河湖长 助手's data");
    const server = await provision(spaced);
    const reply = await withClient(server.uri, (client) => client.db('admin').command({ ping: 1 }));
    expect(reply.ok).toBe(1);
    await withClient(server.uri, (client) => client.db('spaced').collection('rivers').insertOne({ name: '金口河' }));
    await server.stop();
    const again = await provision(spaced);
    const found = await withClient(again.uri, (client) => client.db('spaced').collection('rivers').findOne({}));
    expect(found).toMatchObject({ name: '金口河' });
  });

  it('stop() twice is harmless and the server is gone afterwards', { timeout: 60_000 }, async () => {
    const server = await provision(await freshDataDir());
    await Promise.all([server.stop(), server.stop()]);
    await expect(server.stop()).resolves.toBeUndefined();
    const client = new MongoClient(server.uri, { directConnection: true, serverSelectionTimeoutMS: 500 });
    await expect(client.db('admin').command({ ping: 1 })).rejects.toThrow();
    await client.close();
  });
});

describe('provisionMongoServer (external)', () => {
  it('passes a given URI through and never stops that server', async () => {
    const uri = inject('mongoUri');
    const server = await provisionMongoServer({ uri, dataDir: '/nonexistent', logger: silentLogger() });
    expect(server).toMatchObject({ uri, kind: 'external' });
    await server.stop();
    await server.stop();
    const reply = await withClient(uri, (client) => client.db('admin').command({ ping: 1 }));
    expect(reply.ok).toBe(1);
  });
});

describe('openTestDatabase', () => {
  it('gives each caller its own database and drops it on close', async () => {
    const a = await openTestDatabase();
    const b = await openTestDatabase();
    try {
      expect(a.dbName).not.toBe(b.dbName);
      expect(a.dbName).toMatch(/^provision_[0-9a-f]{6}$/);
      expect(a.uri.endsWith(`/${a.dbName}`)).toBe(true);
      expect(a.connection.name).toBe(a.dbName);

      await a.connection.collection('lakes').insertOne({ name: '月湖' });
      expect(await a.connection.collection('lakes').countDocuments()).toBe(1);
      expect(await b.connection.collection('lakes').countDocuments()).toBe(0);
    } finally {
      await a.close();
      await b.close();
      await a.close(); // Idempotent.
    }
    const names = await withClient(inject('mongoUri'), async (client) => {
      const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
      return databases.map((db) => db.name);
    });
    expect(names).not.toContain(a.dbName);
    expect(names).not.toContain(b.dbName);
  });
});

describe('database names and URIs', () => {
  it('derives short legal names from the test file', () => {
    const name = testDatabaseName('/work/test/some dir/Very.Long-File name$with.weird "chars" and more.test.ts');
    expect(name.length).toBeLessThanOrEqual(38);
    expect(name).not.toMatch(/[/\\. "$]/);
    expect(name).toMatch(/^very_long-file_name_with_weird__[0-9a-f]{6}$/);
  });

  it('swaps the database in a URI, keeping hosts, options and the auth database', () => {
    expect(withDatabaseName('mongodb://127.0.0.1:27017/', 'x')).toBe('mongodb://127.0.0.1:27017/x');
    expect(withDatabaseName('mongodb://h1:1,h2:2/old?replicaSet=rs', 'x')).toBe('mongodb://h1:1,h2:2/x?replicaSet=rs');
    expect(withDatabaseName('mongodb+srv://u:p@c.example.net/app?retryWrites=true', 'x')).toBe(
      'mongodb+srv://u:p@c.example.net/x?retryWrites=true&authSource=app',
    );
    expect(withDatabaseName('mongodb://u:p@h', 'x')).toBe('mongodb://u:p@h/x?authSource=admin');
    expect(withDatabaseName('mongodb://u:p@h/?authSource=other', 'x')).toBe('mongodb://u:p@h/x?authSource=other');
  });
});
