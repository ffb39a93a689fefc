import type { Approval, ApprovalHistoryLine } from '../domain/approvals/approval.js';
import type { AssessmentScheme } from '../domain/assessment/scheme.js';
import type { ApprovalDoc, ApprovalModels, AssessmentSchemeDoc } from './models/approval.js';
import { isDuplicateKey } from './mongo-errors.js';
import { orUndefined } from './nullable.js';

function toApproval<C>(doc: ApprovalDoc): Approval<C> {
  return {
    id: doc._id,
    kind: doc.kind,
    year: doc.year,
    title: doc.title,
    position: doc.position,
    content: doc.content as C,
    number: orUndefined(doc.number),
    publishedAt: orUndefined(doc.publishedAt),
    history: doc.history,
    lastReturn: orUndefined(doc.lastReturn),
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    version: doc.version,
  };
}

/** Records on an approval chain, and the uploaded scoring schemes. */
export class ApprovalStore {
  constructor(private readonly models: ApprovalModels) {}

  /** Creates the record once per id; false when it was already there. */
  async create(approval: Approval): Promise<boolean> {
    try {
      await this.models.approvals.create({
        ...approval,
        _id: approval.id,
        number: null,
        publishedAt: null,
        lastReturn: null,
        cardKeys: [],
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async get<C>(id: string): Promise<Approval<C> | undefined> {
    const doc = await this.models.approvals.findOne({ _id: id }).lean<ApprovalDoc>().exec();
    return doc ? toApproval<C>(doc) : undefined;
  }

  /**
   * Moves the record if nobody moved it since `from` was read (the claim that makes the
   * first of two simultaneous taps count); false if someone did.
   */
  async move(
    from: Approval,
    change: {
      position: number;
      line: ApprovalHistoryLine;
      content?: unknown;
      lastReturn?: Approval['lastReturn'] | null;
    },
  ): Promise<boolean> {
    const set: Record<string, unknown> = { position: change.position };
    if (change.content !== undefined) set.content = change.content;
    if (change.lastReturn !== undefined) set.lastReturn = change.lastReturn;
    const result = await this.models.approvals
      .updateOne(
        { _id: from.id, version: from.version },
        { $set: set, $push: { history: change.line }, $inc: { version: 1 } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Records submitted and not yet published (a handful at any time). */
  async inProgress<C>(): Promise<Array<Approval<C>>> {
    const docs = await this.models.approvals
      .find({ position: { $gte: 0 }, number: null })
      .lean<ApprovalDoc[]>()
      .exec();
    return docs.map((d) => toApproval<C>(d));
  }

  /** Replaces a draft's title and content if it is still the draft `from` was read as. */
  async updateDraft(from: Approval, title: string, content: unknown): Promise<boolean> {
    const result = await this.models.approvals
      .updateOne(
        { _id: from.id, version: from.version, position: -1 },
        { $set: { title, content }, $inc: { version: 1 } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  async setPublished(id: string, number: string, at: Date): Promise<void> {
    await this.models.approvals.updateOne({ _id: id, number: null }, { $set: { number, publishedAt: at } }).exec();
  }

  async addCardKey(id: string, key: string): Promise<void> {
    await this.models.approvals.updateOne({ _id: id }, { $addToSet: { cardKeys: key } }).exec();
  }

  async cardKeys(id: string): Promise<string[]> {
    const doc = await this.models.approvals
      .findOne({ _id: id }, { cardKeys: 1 })
      .lean<Pick<ApprovalDoc, 'cardKeys'>>()
      .exec();
    return doc?.cardKeys ?? [];
  }

  async saveScheme(doc: AssessmentSchemeDoc): Promise<void> {
    await this.models.assessmentSchemes.replaceOne({ _id: doc._id }, doc, { upsert: true }).exec();
  }

  /** The scheme for a year: one uploaded for that year, else the latest for all years, else none. */
  async schemeFor(year: number): Promise<{ scheme: AssessmentScheme; fileName: string } | undefined> {
    const docs = await this.models.assessmentSchemes
      .find({})
      .sort({ uploadedAt: -1 })
      .lean<AssessmentSchemeDoc[]>()
      .exec();
    const pick = docs.find((d) => d.year === year) ?? docs.find((d) => d.year === null || d.year < year);
    return pick ? { scheme: pick.scheme as AssessmentScheme, fileName: pick.fileName } : undefined;
  }
}
