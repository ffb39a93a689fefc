/**
 * FerretDB 1.24 (the embedded database) stops answering when one `update` command carries
 * about fifty or more statements that match existing documents (updateOne or replaceOne;
 * measured: 45 complete, 60 hang for good with every PostgreSQL connection idle). The driver
 * turns a bulkWrite's consecutive updates into one such command, so every bulkWrite that can
 * grow with the data goes through here in slices well under that. MongoDB is unaffected and
 * only pays a few more round trips.
 */
export const SAFE_BULK_STATEMENTS = 32;

interface BulkWritable<Op> {
  bulkWrite(ops: Op[], options: { ordered: false }): Promise<unknown>;
}

/**
 * bulkWrite in slices of SAFE_BULK_STATEMENTS operations, unordered within each slice. A slice's
 * error that `tolerated` accepts (e.g. only duplicate keys from a concurrent writer) does not
 * stop the rest.
 */
export async function bulkWriteInSlices<Op>(
  collection: BulkWritable<Op>,
  ops: readonly Op[],
  tolerated: (error: unknown) => boolean = () => false,
): Promise<void> {
  for (let i = 0; i < ops.length; i += SAFE_BULK_STATEMENTS) {
    await collection.bulkWrite(ops.slice(i, i + SAFE_BULK_STATEMENTS), { ordered: false }).catch((error: unknown) => {
      if (!tolerated(error)) throw error;
    });
  }
}
