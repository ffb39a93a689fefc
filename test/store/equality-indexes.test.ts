/**
 * The embedded PostgreSQL answers FerretDB's equality finds from an index (equality-indexes.ts):
 * after the bot's start-up every FerretDB index has a GIN twin, statements are planned with
 * their values, and a find by `_id` or by an indexed field is an index scan, not a scan of
 * the whole table. Also for a cluster made before the twins existed, and never fatal.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/env.js';
import { silentLogger } from '../../src/log/logger.js';
import { type OpenDatabase, openDatabase } from '../../src/main/infrastructure.js';
import { Shutdown } from '../../src/main/shutdown.js';
import { ensureEqualityIndexes, type PostgresAccess } from '../../src/store/provision/equality-indexes.js';
import { captureLogs } from '../helpers/logs.js';

const run = promisify(execFile);
const PEOPLE = 3_000; // Enough rows that PostgreSQL prefers an index it can use to a sequential scan.

let dataDir: string;
let shutdown: Shutdown;
let db: OpenDatabase;
/** The people table of the bot's database, once the second test has filled it. */
let table = '';
const savedBackend = process.env.HEHU_EMBEDDED_BACKEND;

async function start(): Promise<void> {
  shutdown = new Shutdown(silentLogger());
  db = await openDatabase({ dataDir, mongodbUri: undefined } as Config, silentLogger(), shutdown);
}

function access(): PostgresAccess {
  const postgres = db.server?.postgres;
  if (!postgres) throw new Error('the embedded store did not start on PostgreSQL');
  return postgres;
}

async function sql(query: string): Promise<string> {
  const { psql, port } = access();
  const args = ['-X', '-q', '-A', '-t', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres'];
  return (await run(psql, [...args, '-c', query])).stdout.trim();
}

/** Twins of the bot's people collection, and the GIN indexes of the whole cluster. */
async function twins(): Promise<{ people: string[]; all: number }> {
  const people = await sql(
    "SELECT indexname FROM pg_indexes WHERE tablename LIKE 'people\\_%' AND indexdef LIKE '%USING gin%jsonb_path_ops%' ORDER BY 1",
  );
  const all = await sql("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING gin%jsonb_path_ops%'");
  return { people: people.split('\n').filter(Boolean), all: Number(all) };
}

/**
 * The plan of FerretDB 1.24's pushdown of `{ field: value }` (`_jsonb->'field' @> value`), as a
 * prepared statement run more than five times: PostgreSQL would switch it to a generic plan
 * (`_jsonb->$1`, which no index matches) unless custom plans are forced.
 */
async function planOf(table: string, field: string, value: string): Promise<string> {
  const statement = `PREPARE find(text, jsonb) AS SELECT _jsonb FROM ${table} WHERE _jsonb->$1 @> $2`;
  const execute = `EXECUTE find('${field}', '${value}')`;
  return sql(`${statement}; ${Array(6).fill(execute).join('; ')}; EXPLAIN ${execute}`);
}

beforeAll(async () => {
  process.env.HEHU_EMBEDDED_BACKEND = 'postgres';
  dataDir = await mkdtemp(join(tmpdir(), 'hehu-equality-'));
  await start();
}, 120_000);

afterAll(async () => {
  await shutdown?.run();
  if (savedBackend === undefined) delete process.env.HEHU_EMBEDDED_BACKEND;
  else process.env.HEHU_EMBEDDED_BACKEND = savedBackend;
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

// Sequential: the later tests use the people the second one inserted, and restart its store.
describe.sequential('equality finds on the embedded PostgreSQL', () => {
  it('plans every statement with its values and gives each FerretDB index a GIN twin', async () => {
    expect(await sql('SHOW plan_cache_mode')).toBe('force_custom_plan');
    const { people } = await twins();
    // _id, key and openId: the fields the people collection's indexes name.
    expect(people).toHaveLength(3);
    expect(people.every((name) => name.length <= 63)).toBe(true);
  });

  it('finds a person by _id and by an indexed field through an index', async () => {
    const people = db.connection.db!.collection(db.models.people.collection.name);
    await people.insertMany(
      Array.from({ length: PEOPLE }, (_, i) => ({ key: `p${i}`, openId: `ou_${i}`, name: `${i}` })),
    );
    table = await sql(
      "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE tablename LIKE 'people\\_%' AND schemaname <> 'hehu_store'",
    );
    await sql(`ANALYZE ${table}`);
    const id = await sql(`SELECT _jsonb->'_id' FROM ${table} WHERE _jsonb->>'key' = 'p1234'`);

    for (const [field, value] of [
      ['_id', id],
      ['openId', '"ou_1234"'],
    ] as const) {
      const plan = await planOf(table, field, value);
      expect(plan, `${field}: ${plan}`).toMatch(/Index Scan/);
      expect(plan, `${field}: ${plan}`).not.toMatch(/Seq Scan/);
    }
    expect(await people.findOne({ openId: 'ou_1234' })).toMatchObject({ key: 'p1234' });
  });

  it('gives a cluster of an older version its twins when the bot starts again', async () => {
    const before = await twins();
    await sql(
      'DROP EVENT TRIGGER hehu_equality_twins; ' +
        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT schemaname, indexname FROM pg_indexes WHERE indexdef LIKE '%USING gin%jsonb_path_ops%' LOOP " +
        "EXECUTE format('DROP INDEX %I.%I', r.schemaname, r.indexname); END LOOP; END $$",
    );
    expect((await twins()).all).toBe(0);
    expect(await planOf(table, 'openId', '"ou_1234"')).toMatch(/Seq Scan/); // What FerretDB's own indexes give.
    await shutdown.run();
    await start();
    expect(await twins()).toEqual(before);
    expect(await sql('SHOW plan_cache_mode')).toBe('force_custom_plan');
  }, 120_000);

  it('says so, and goes on, when it cannot make the twins', async () => {
    const logs = captureLogs();
    await ensureEqualityIndexes({ ...access(), port: 1 }, logs.logger);
    expect(logs.find(/could not give FerretDB indexes their GIN twins/)).toHaveLength(1);
  });
});
