import type { Connection } from 'mongoose';

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
