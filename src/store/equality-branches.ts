/**
 * "Any of these field = value" as disjoint filters, each led by one top-level equality.
 *
 * The embedded FerretDB pushes a top-level equality down to its storage, reading only the
 * matching documents, but not `$in` or `$or`, which read the whole collection (measured: 86 ms
 * against 1,960 ms on 5,000 problems). One query per value therefore reads far less; the
 * parts exclude what earlier parts matched, so their counts add up to the union's. On MongoDB
 * the same filters use the indexes.
 */
export function equalityBranches(atoms: Array<[field: string, value: string]>): Array<Record<string, unknown>> {
  return atoms.map(([field, value], k) => {
    const earlier = atoms.slice(0, k).map(([f, v]) => ({ [f]: { $ne: v } }));
    return earlier.length > 0 ? { [field]: value, $and: earlier } : { [field]: value };
  });
}
