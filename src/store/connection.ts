import mongoose, { type Connection } from 'mongoose';

/** Opens the bot's one MongoDB connection. Mongoose and Agenda share its driver and pool. */
export async function connectDatabase(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 10_000,
    // Indexes are created once, explicitly, by ensureIndexes() at start-up.
    autoIndex: false,
    autoCreate: false,
  });
  await connection.asPromise();
  return connection;
}

/** True when the server answers a ping; used by /readyz. */
export async function isDatabaseReachable(connection: Connection): Promise<boolean> {
  try {
    const db = connection.db;
    if (!db || connection.readyState !== mongoose.ConnectionStates.connected) return false;
    await db.admin().command({ ping: 1 }, { timeoutMS: 2_000 });
    return true;
  } catch {
    return false;
  }
}
