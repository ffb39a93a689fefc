/**
 * A measurement aid, not a fix: what the embedded database would cost if its equality
 * queries used indexes. FerretDB 1.24 pushes an equality down as `_jsonb->'f' @> value`, which
 * the btree expression indexes it creates cannot serve, so PostgreSQL scans the whole table
 * for every find, even by `_id` (see pg_stat_user_tables: seq_scan, idx_scan 0). This adds a
 * GIN (`jsonb_path_ops`) twin of each of those indexes, which serves `@>`, and makes
 * PostgreSQL plan every statement with its values (prepared statements otherwise fall back to
 * a generic plan, `_jsonb->$1`, that no expression index matches). Needs `psql` on the PATH;
 * applies to the bench's own embedded PostgreSQL only (found through its FerretDB child).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The port of the PostgreSQL behind this process's FerretDB child, if there is one. */
function postgresPort(): string | undefined {
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const port = /postgresql-url=\S*?:(\d+)\//.exec(cmd)?.[1];
      if (port) return port;
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

const TWINS = `DO $$ DECLARE r record; BEGIN
FOR r IN SELECT DISTINCT i.schemaname, i.tablename, m[1] AS field
  FROM pg_indexes i, regexp_matches(i.indexdef, '_jsonb -> ''([^'']+)''::text', 'g') AS m
  WHERE i.indexdef LIKE '%USING btree%' AND i.schemaname NOT IN ('pg_catalog', 'information_schema') LOOP
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops)',
    left(r.tablename || '_' || md5(r.field) || '_gin', 60), r.schemaname, r.tablename, r.field);
END LOOP; END $$;`;

/**
 * Custom plans and GIN twins of every existing FerretDB index (collections created later get
 * none: call it again). Returns what it did, for the bench's output.
 */
export function indexEquality(): string {
  const port = postgresPort();
  if (!port) return 'indexed equality: no embedded PostgreSQL found (MONGODB_URI?), nothing changed';
  const psql = (sql: string) =>
    execFileSync('psql', ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', 'postgres', '-qAt', '-c', sql], {
      encoding: 'utf8',
    });
  psql('ALTER SYSTEM SET plan_cache_mode = force_custom_plan');
  psql('SELECT pg_reload_conf()');
  psql(TWINS);
  const n = psql("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING gin%jsonb_path_ops%'").trim();
  return `indexed equality (experiment): plan_cache_mode=force_custom_plan, ${n} GIN twins of FerretDB's indexes`;
}
