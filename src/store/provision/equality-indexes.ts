/**
 * Index-backed equality on the embedded PostgreSQL. FerretDB 1.24 pushes an equality filter
 * down as `_jsonb->'field' @> value`, but the indexes it creates are btree expression indexes
 * (`(_jsonb->'field')`), which cannot serve `@>`: PostgreSQL scanned the whole table for every
 * find, even by `_id` (bench:load: 1,446 seq scans reading 1.42 M rows, idx_scan 0). A GIN
 * (`jsonb_path_ops`) twin of each top-level field those indexes name serves `@>`; with custom
 * plans (postgres.ts starts the server with plan_cache_mode=force_custom_plan, because a
 * prepared statement's generic plan, `_jsonb->$1`, matches no expression index) a find by
 * `_id` is an index scan of 0.08 ms, and a card tap cost 28 ms of CPU instead of 37.
 *
 * Twins are made by PostgreSQL itself: an event trigger adds one whenever FerretDB creates an
 * index (the bot's ensureIndexes, Agenda's collection, a collection made later, the tests'
 * databases), and each start sweeps for indexes without one (clusters of older versions). It
 * is an optimisation: a failure leaves FerretDB's answers unchanged, so it is logged, not fatal.
 * FerretDB lists indexes from its own metadata, so the twins never show in listIndexes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from '../../log/logger.js';

const run = promisify(execFile);

/** How to reach the cluster the bot started: psql of the same installation as its pg_ctl. */
export interface PostgresAccess {
  psql: string;
  port: number;
}

/**
 * The twins of one table's (or, without `tables`, every table's) FerretDB indexes; returns how
 * many it made. Only btree columns that are a top-level field (`_jsonb -> 'f'`): FerretDB
 * pushes down no nested path. Names are stable and within PostgreSQL's 63 characters.
 */
const SWEEP_FUNCTION = String.raw`
CREATE OR REPLACE FUNCTION public.hehu_equality_twins(tables oid[] DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $f$
DECLARE r record; twin text; made integer := 0;
BEGIN
  FOR r IN
    SELECT DISTINCT n.nspname AS schema_name, t.relname AS table_name, m[1] AS field
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_am a ON a.oid = i.relam AND a.amname = 'btree'
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN generate_series(1, x.indnatts) AS k
    CROSS JOIN regexp_match(pg_get_indexdef(x.indexrelid, k, true), '^\(*_jsonb -> ''([^'']+)''::text\)*$') AS m
    WHERE m IS NOT NULL
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND t.relname NOT LIKE '\_ferretdb\_%'
      AND (tables IS NULL OR t.oid = ANY (tables))
  LOOP
    twin := left(r.table_name, 48) || '_' || left(md5(r.table_name || '.' || r.field), 8) || '_eq';
    IF to_regclass(format('%I.%I', r.schema_name, twin)) IS NULL THEN
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops)',
        twin, r.schema_name, r.table_name, r.field);
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END $f$;`;

/** After FerretDB creates an index: twins for its table. Never fails FerretDB's command. */
const TRIGGER = String.raw`
CREATE OR REPLACE FUNCTION public.hehu_equality_twins_after_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $f$
DECLARE tables oid[];
BEGIN
  SELECT array_agg(DISTINCT x.indrelid) INTO tables
  FROM pg_event_trigger_ddl_commands() c JOIN pg_index x ON x.indexrelid = c.objid
  WHERE c.command_tag = 'CREATE INDEX';
  IF tables IS NOT NULL THEN PERFORM public.hehu_equality_twins(tables); END IF;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'hehu: no GIN twin for a FerretDB index: %', SQLERRM;
END $f$;
DO $d$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'hehu_equality_twins') THEN
    CREATE EVENT TRIGGER hehu_equality_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
      EXECUTE FUNCTION public.hehu_equality_twins_after_ddl();
  END IF;
END $d$;`;

/** One psql session on the cluster running `commands` in turn; stops at the first error. */
async function psql(access: PostgresAccess, commands: string[]): Promise<string> {
  const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(access.port)];
  const { stdout } = await run(access.psql, [...args, '-U', 'postgres', ...commands.flatMap((sql) => ['-c', sql])], {
    env: { ...process.env, PGDATABASE: 'postgres', PGOPTIONS: '-c client_min_messages=warning' },
  });
  return stdout.trim();
}

/**
 * Installs the trigger (idempotent) and makes every missing twin. With `expectNone`, twins it
 * still had to make are ones the trigger missed: that is worth a warning.
 */
export async function ensureEqualityIndexes(
  access: PostgresAccess,
  logger: Logger,
  options: { expectNone?: boolean } = {},
): Promise<void> {
  try {
    const out = await psql(access, [
      SWEEP_FUNCTION,
      TRIGGER,
      'SELECT public.hehu_equality_twins()',
      'SHOW plan_cache_mode',
    ]);
    const [made = '0', planCacheMode] = out.split('\n');
    if (planCacheMode !== 'force_custom_plan') {
      logger.warn({ planCacheMode }, 'PostgreSQL plans prepared statements generically: equality finds scan tables');
    }
    if (Number(made) > 0) {
      const message = 'made GIN twins of FerretDB indexes so equality finds use an index';
      if (options.expectNone) logger.warn({ made }, `${message} (the trigger had missed them)`);
      else logger.info({ made }, message);
    }
  } catch (error) {
    // The message only: the error's arguments repeat the whole SQL.
    const reason =
      error instanceof Error ? (error as Error & { stderr?: string }).stderr?.trim() || error.message : String(error);
    logger.warn(
      { reason },
      'could not give FerretDB indexes their GIN twins; equality finds scan whole tables (slower, still correct)',
    );
  }
}
