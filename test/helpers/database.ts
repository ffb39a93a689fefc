/**
 * Per-file databases on the run's shared server (started in global-setup.ts), so test files
 * running in parallel never see each other's documents.
 *
 * Creating a database's collections and indexes is the dearest part of a file's set-up on
 * FerretDB (a table and its indexes per collection, about a second for the bot's 40), so a
 * file that asks for `reuse` gets, when its worker has one, a database an earlier file of the
 * same worker emptied: same indexes, no documents. Workers keep this module between files
 * (vitest.config.ts: isolate false); a file never shares a database with one running beside it.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import mongoose from 'mongoose';
import { expect, inject } from 'vitest';

export interface TestDatabase {
  /** The server URI naming this database; other code (a whole bot) can connect to it. */
  uri: string;
  dbName: string;
  connection: mongoose.Connection;
  /** Drops the database and closes the connection. Idempotent. */
  close(): Promise<void>;
}

/** MongoDB limits names and FerretDB's SQLite backend is stricter; stay well inside both. */
const MAX_DB_NAME_LENGTH = 38;
const SUFFIX_HEX_CHARS = 6;

/** Emptied databases of this worker, waiting for a file that asks for `reuse`. */
const emptied: string[] = [];

export interface OpenTestDatabaseOptions {
  /**
   * Take an emptied database of an earlier file, and empty this one for a later file instead of
   * dropping it. Only for callers that stop everything using the database before close()
   * (useTestBot, openWorkflowWorld): anything still connected would write into the next file.
   */
  reuse?: boolean;
}

export async function openTestDatabase(options: OpenTestDatabaseOptions = {}): Promise<TestDatabase> {
  // The last emptied database of a worker is left behind: only on a server thrown away after the run.
  const reuse = (options.reuse ?? false) && inject('throwawayServer');
  const dbName = (reuse && emptied.pop()) || testDatabaseName(expect.getState().testPath);
  const uri = withDatabaseName(inject('mongoUri'), dbName);
  const connection = await mongoose.createConnection(uri).asPromise();
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        if (reuse && (await emptyDatabase(connection))) emptied.push(dbName);
        else await connection.dropDatabase();
      } finally {
        await connection.close();
      }
    })());
  return { uri, dbName, connection, close };
}

/** Deletes every document, keeping collections and indexes; false (nothing kept) when that fails. */
async function emptyDatabase(connection: mongoose.Connection): Promise<boolean> {
  try {
    const db = connection.db!;
    const collections = await db.listCollections({}, { nameOnly: true }).toArray();
    for (const { name } of collections) if (!name.startsWith('system.')) await db.collection(name).deleteMany({});
    return true;
  } catch {
    await connection.dropDatabase();
    return false;
  }
}

/** `test/store/provision.test.ts` → `provision_3fa9c1`: readable, unique, and a legal name. */
export function testDatabaseName(testPath: string | undefined): string {
  const stem = basename(testPath ?? 'test')
    .replace(/\.(test|spec)\.[cm]?[jt]sx?$/, '')
    .replace(/\.[cm]?[jt]sx?$/, '')
    .toLowerCase() // Names differing only in case clash in MongoDB.
    .replace(/[^a-z0-9_-]+/g, '_');
  const suffix = randomBytes(SUFFIX_HEX_CHARS / 2).toString('hex');
  const room = MAX_DB_NAME_LENGTH - SUFFIX_HEX_CHARS - 1;
  return `${stem.slice(0, room) || 'test'}_${suffix}`;
}

/**
 * Puts `dbName` into a MongoDB connection string in place of any database it names, keeping
 * hosts and options. Credentials authenticated against the original database (or admin,
 * when none was named) keep doing so through an explicit authSource.
 */
export function withDatabaseName(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)([^/?]*)(?:\/([^?]*))?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a MongoDB connection string: ${uri}`);
  const [, scheme = '', authority = '', path = '', query = ''] = match;
  let options = query;
  if (authority.includes('@') && !/[?&]authSource=/i.test(query)) {
    const authSource = `authSource=${path === '' ? 'admin' : path}`;
    options = query === '' || query === '?' ? `?${authSource}` : `${query}&${authSource}`;
  }
  return `${scheme}${authority}/${dbName}${options}`;
}
