/**
 * Vitest global setup: one MongoDB-wire server for the whole run, shared by all test files
 * (each file works in its own database, see helpers/database.ts). MONGODB_URI, when set,
 * is used as is; otherwise a mongod or FerretDB is started on a throwaway data dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../src/log/logger.js';
import { provisionMongoServer } from '../src/store/provision/mongo-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    /** The server is this run's own, thrown away after it: databases may be left on it. */
    throwawayServer: boolean;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Provisioning may build FerretDB for minutes; say so rather than look hung.
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
  const dataDir = await mkdtemp(join(tmpdir(), 'hehu-test-db-'));
  try {
    const server = await provisionMongoServer({ uri: process.env.MONGODB_URI || undefined, dataDir, logger });
    project.provide('mongoUri', server.uri);
    project.provide('throwawayServer', server.kind !== 'external');
    return async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
