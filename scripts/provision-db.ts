/**
 * `npm run db:provision`: makes sure a MongoDB-wire server can be started without a download
 * at test or start time. CI runs it before the tests so the minutes-long FerretDB build is
 * done up front, visibly, instead of inside a test hook.
 */
import { createLogger } from '../src/log/logger.js';
import { ensureFerretDbBinary, findExecutable } from '../src/store/provision/ferretdb-binary.js';

async function main(): Promise<void> {
  if (process.env.MONGODB_URI) {
    console.log('MONGODB_URI is set: that server is used, nothing to build.');
    return;
  }
  const mongod = await findExecutable('mongod');
  if (mongod) {
    console.log(`mongod found at ${mongod}: it is used, nothing to build.`);
    return;
  }
  const binary = await ensureFerretDbBinary({ logger: createLogger({ level: process.env.LOG_LEVEL ?? 'info' }) });
  console.log(binary);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
