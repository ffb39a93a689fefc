import type { Connection, Model, Schema } from 'mongoose';

/**
 * Compiles a group of models once per connection: mongoose refuses to compile a model name
 * twice on one connection, and tests and benches open several connections in one process.
 */
export function perConnection<T>(build: (connection: Connection) => T): (connection: Connection) => T {
  const compiled = new WeakMap<Connection, T>();
  return (connection) => {
    let models = compiled.get(connection);
    if (!models) {
      models = build(connection);
      compiled.set(connection, models);
    }
    return models;
  };
}

/**
 * A read model kept outside bindModels' list, which creates its own collection and indexes:
 * once per connection, on first use, every caller awaiting the same creation. Its unique key
 * is what makes two instances upserting one new document safe, so nothing is written before
 * the indexes exist.
 */
export function selfIndexedModel<T>(name: string, schema: Schema<T>): (connection: Connection) => Promise<Model<T>> {
  const created = perConnection((connection: Connection) => {
    const model = connection.model<T>(name, schema);
    const ready = model
      .createCollection()
      .catch(() => undefined)
      .then(() => model.createIndexes())
      .then(() => model);
    // Rejections reach whoever awaits the model; this only keeps an unawaited one quiet.
    ready.catch(() => undefined);
    return ready;
  });
  return created;
}
