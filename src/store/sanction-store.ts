import type { Sanction } from '../domain/accountability/sanction.js';
import type { SanctionDoc, SanctionModels } from './models/sanction.js';
import { isDuplicateKey } from './mongo-errors.js';
import { orUndefined } from './nullable.js';

function toSanction(doc: SanctionDoc): Sanction {
  return {
    id: doc._id,
    kind: doc.kind,
    unitId: doc.unitId,
    reason: doc.reason,
    issueIds: doc.issueIds,
    issuedBy: doc.issuedBy,
    issuedAt: doc.issuedAt,
    praise: doc.praise || undefined,
    noticeKey: orUndefined(doc.noticeKey),
    admonition: orUndefined(doc.admonition),
    version: doc.version,
  };
}

/** When a 约谈's 复核 reminder is due: while it waits for review, its review day. */
const reviewDueAt = (s: Sanction) => (s.admonition?.stage === 'held' ? (s.admonition.reviewOn ?? null) : null);

/** 提示、通报、约谈 records. */
export class SanctionStore {
  constructor(private readonly models: SanctionModels) {}

  /** Records a sanction once per id; false when it was already there (a retried tap). */
  async create(sanction: Sanction, year: number): Promise<boolean> {
    try {
      await this.models.sanctions.create({
        ...sanction,
        _id: sanction.id,
        year,
        praise: sanction.praise ?? false,
        noticeKey: sanction.noticeKey ?? null,
        admonition: sanction.admonition ?? null,
        reviewDueAt: reviewDueAt(sanction),
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<Sanction | undefined> {
    const doc = await this.models.sanctions.findOne({ _id: id }).lean<SanctionDoc>().exec();
    return doc ? toSanction(doc) : undefined;
  }

  /** Saves a 约谈's new state if nobody changed it since `from` was read; false if they did. */
  async updateAdmonition(from: Sanction, admonition: Sanction['admonition']): Promise<boolean> {
    const next = { ...from, admonition };
    const result = await this.models.sanctions
      .updateOne(
        { _id: from.id, version: from.version },
        { $set: { admonition: admonition ?? null, reviewDueAt: reviewDueAt(next) }, $inc: { version: 1 } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** A year's sanctions, optionally of one unit, in the order they were issued. */
  async ofYear(year: number, unitId?: string): Promise<Sanction[]> {
    const filter: Record<string, unknown> = { year };
    if (unitId) filter.unitId = unitId;
    const docs = await this.models.sanctions.find(filter).sort({ issuedAt: 1 }).lean<SanctionDoc[]>().exec();
    return docs.map(toSanction);
  }

  /** 约谈 whose 复核 is due and not yet recorded. */
  async reviewsDue(now: Date): Promise<Sanction[]> {
    const docs = await this.models.sanctions
      .find({ reviewDueAt: { $lte: now } })
      .sort({ reviewDueAt: 1 })
      .limit(500)
      .lean<SanctionDoc[]>()
      .exec();
    return docs.map(toSanction);
  }
}
