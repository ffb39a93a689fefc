/**
 * Counts what a stretch of work asks of the database: commands sent and documents returned
 * (the driver's command monitoring, `monitorCommands=true` in the URI). On the embedded
 * database a query costs about 0.2 ms per document it reads, and with only top-level
 * equality pushed down the documents returned are the documents read: unlike a timing, this
 * count does not depend on how busy the machine is.
 */
import type { Connection } from 'mongoose';

export interface DocumentsRead {
  /** Runs `work` and returns what it asked for. */
  during<T>(work: () => Promise<T>): Promise<{ result: T; commands: number; documents: number }>;
}

/** The URI with command monitoring on. */
export function monitoredUri(uri: string): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
}

export function countDocumentsRead(connection: Connection): DocumentsRead {
  let commands = 0;
  let documents = 0;
  connection.getClient().on('commandSucceeded', (e) => {
    commands++;
    const cursor = (e.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } }).cursor;
    documents += (cursor?.firstBatch?.length ?? 0) + (cursor?.nextBatch?.length ?? 0);
  });
  return {
    async during(work) {
      const [c, d] = [commands, documents];
      const result = await work();
      return { result, commands: commands - c, documents: documents - d };
    },
  };
}
