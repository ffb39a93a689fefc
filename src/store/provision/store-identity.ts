/**
 * The store id from backend.json, also kept in the database. A start (or /readyz) that finds
 * another id, or a server that answers without it, has opened some other store, and says so
 * instead of serving the district from it.
 */
import { type MongoClient as Client, MongoClient } from 'mongodb';
import { StoreRefusal } from './store-refusal.js';

const IDENTITY_DB = 'hehu_store';
const IDENTITY_COLLECTION = 'identity';
const IDENTITY_ID = 'store';

interface IdentityDoc {
  _id: string;
  storeId: string;
  createdAt: Date;
}

function identities(client: Client) {
  return client.db(IDENTITY_DB).collection<IdentityDoc>(IDENTITY_COLLECTION);
}

/** Writes the id into a store that has none (new, or made before ids); refuses one with another id. */
export async function ensureStoreIdentity(uri: string, storeId: string, where: string): Promise<void> {
  const client = new MongoClient(uri, { directConnection: true, serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const found = await identities(client).findOne({ _id: IDENTITY_ID });
    if (!found) {
      await identities(client)
        .insertOne({ _id: IDENTITY_ID, storeId, createdAt: new Date() })
        .catch(async (error: unknown) => {
          // Another process wrote it at the same moment: fine if it is the same id.
          if ((await identities(client).findOne({ _id: IDENTITY_ID }))?.storeId !== storeId) throw error;
        });
      return;
    }
    if (found.storeId !== storeId) {
      throw new StoreRefusal(
        `打开的数据库不是 ${where} 所登记的那一个（登记的编号 ${storeId}，数据库中的编号 ${found.storeId}）。请检查数据目录是否被替换或混用；机器人不会在另一个数据库上运行。`,
        `The database opened is not the one recorded in ${where} (recorded ${storeId}, found ${found.storeId}). Check whether the data directory was replaced or mixed up.`,
      );
    }
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** For /readyz: the connected server holds the store recorded for the data directory. */
export async function storeIdentityMatches(client: Client, storeId: string): Promise<boolean> {
  try {
    const found = await identities(client).findOne({ _id: IDENTITY_ID }, { timeoutMS: 2_000 });
    return found?.storeId === storeId;
  } catch {
    return false;
  }
}
