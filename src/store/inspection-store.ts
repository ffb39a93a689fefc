import type { Inspection, InspectionFinding } from '../domain/inspections/inspection.js';
import type { InspectionDoc, InspectionModels } from './models/inspection.js';
import { isDuplicateKey } from './mongo-errors.js';
import { orUndefined } from './nullable.js';

function toInspection(doc: InspectionDoc): Inspection {
  return {
    id: doc._id,
    title: doc.title,
    organiserUnit: doc.organiserUnit,
    waterBodyIds: doc.waterBodyIds,
    from: doc.from,
    to: doc.to,
    findings: doc.findings,
    reportedAt: orUndefined(doc.reportedAt),
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    version: doc.version,
  };
}

/** 督查 records. */
export class InspectionStore {
  constructor(private readonly models: InspectionModels) {}

  /** Records an inspection once per id; false when it was already there. */
  async create(inspection: Inspection): Promise<boolean> {
    try {
      await this.models.inspections.create({ ...inspection, _id: inspection.id, reportedAt: null });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<Inspection | undefined> {
    const doc = await this.models.inspections.findOne({ _id: id }).lean<InspectionDoc>().exec();
    return doc ? toInspection(doc) : undefined;
  }

  /**
   * Adds a finding numbered after the others, once per problem: a retried submission adds
   * nothing, and two people adding at once get consecutive numbers.
   */
  async addFinding(id: string, finding: Omit<InspectionFinding, 'n'>): Promise<Inspection | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.get(id);
      if (!current) return undefined;
      if (current.findings.some((f) => f.issueId === finding.issueId)) return current;
      const n = Math.max(0, ...current.findings.map((f) => f.n)) + 1;
      const result = await this.models.inspections
        .updateOne(
          { _id: id, version: current.version },
          { $push: { findings: { ...finding, n } }, $inc: { version: 1 } },
        )
        .exec();
      if (result.modifiedCount === 1) return this.get(id);
    }
    throw new Error(`inspection ${id}: finding not added after repeated conflicts`);
  }

  async markReported(id: string, at: Date): Promise<void> {
    await this.models.inspections.updateOne({ _id: id }, { $set: { reportedAt: at }, $inc: { version: 1 } }).exec();
  }
}
