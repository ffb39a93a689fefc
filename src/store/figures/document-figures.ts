import { type Connection, Schema } from 'mongoose';
import { periodContaining } from '../../domain/time/period.js';
import type { DocumentDoc, DocumentModels } from '../models/document.js';
import { perConnection } from '../models/per-connection.js';
import { isDuplicateKey } from '../mongo-errors.js';

/**
 * The document read model: per local month, how many minutes and documents were published
 * (印发) in it, for /简报. A month is written whole after recomputing it from its documents
 * by equality (`publishedMonth`, kept on each document with its `publishedAt`), and checked
 * until stored and recomputed agree, as the meeting figures are: never incremented, so a
 * retried or concurrent publication cannot skew it.
 */
export interface DocumentMonthDoc {
  /** The local month, `2026-11`. */
  _id: string;
  published: number;
}

const DocumentMonthSchema = new Schema<DocumentMonthDoc>(
  {
    _id: { type: String, required: true },
    published: { type: Number, required: true },
  },
  { versionKey: false, minimize: false, id: false, collection: 'document_figures_month' },
);

function build(connection: Connection) {
  return { documentFiguresByMonth: connection.model('DocumentFiguresByMonth', DocumentMonthSchema) };
}
export type DocumentFigureModels = ReturnType<typeof build>;
export const documentFigureModels = perConnection(build);

const SETTLE_ROUNDS = 6;

type Published = Pick<DocumentDoc, '_id' | 'state' | 'publishedAt' | 'publishedMonth'>;
const PUBLISHED_FIELDS = { _id: 1, state: 1, publishedAt: 1, publishedMonth: 1 } as const;

export class DocumentFigures {
  constructor(
    private readonly models: DocumentModels & DocumentFigureModels,
    private readonly timeZone: string,
  ) {}

  /** The local month a publication falls in: the key documents and figures share. */
  monthOf(at: Date): string {
    return periodContaining('month', at, this.timeZone).key;
  }

  /** Brings a month up to date (after a document published in it changed). */
  async refresh(month: string): Promise<void> {
    await this.write(month, await this.compute(month));
    for (let round = 1; round < SETTLE_ROUNDS; round++) {
      const [now, stored] = await Promise.all([this.compute(month), this.stored(month)]);
      if (now === stored) return;
      await this.write(month, now);
    }
  }

  /** Documents published in a local month (one document read). */
  async publishedIn(month: string): Promise<number> {
    return (await this.stored(month)) ?? 0;
  }

  private compute(month: string): Promise<number> {
    return this.models.documents.countDocuments({ publishedMonth: month, state: 'published' }).exec();
  }

  private async stored(month: string): Promise<number | undefined> {
    return (await this.models.documentFiguresByMonth.findOne({ _id: month }).lean<DocumentMonthDoc>().exec())
      ?.published;
  }

  private async write(month: string, published: number): Promise<void> {
    const doc = { _id: month, published };
    try {
      await this.models.documentFiguresByMonth.replaceOne({ _id: month }, doc, { upsert: true }).exec();
    } catch (error) {
      // Two writers created the month at once: the loser writes over the winner's document.
      if (!isDuplicateKey(error)) throw error;
      await this.models.documentFiguresByMonth.replaceOne({ _id: month }, doc).exec();
    }
  }

  /**
   * Recomputes every month from all published documents, first giving documents published
   * before the months were kept their `publishedMonth` (the upgrade runs this); returns how
   * many months there are and how many were wrong (a filled-in document counts as a correction).
   */
  async rebuild(): Promise<{ sections: number; corrected: number }> {
    const docs = await this.models.documents
      .find({ publishedAt: { $ne: null } }, PUBLISHED_FIELDS)
      .lean<Published[]>()
      .exec();
    let corrected = 0;
    const byMonth = new Map<string, number>();
    const touched = new Set<string>();
    for (const d of docs) {
      const month = d.publishedAt ? this.monthOf(new Date(d.publishedAt)) : null;
      if ((d.publishedMonth ?? null) !== month) {
        corrected++;
        await this.models.documents.updateOne({ _id: d._id }, { $set: { publishedMonth: month } }).exec();
        if (d.publishedMonth) touched.add(d.publishedMonth);
      }
      if (month && d.state === 'published') byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
    }
    const stored = await this.models.documentFiguresByMonth.find({}).lean<DocumentMonthDoc[]>().exec();
    const have = new Map(stored.map((s) => [s._id, s.published]));
    for (const month of new Set([...byMonth.keys(), ...have.keys(), ...touched])) {
      if ((have.get(month) ?? 0) === (byMonth.get(month) ?? 0) && !touched.has(month)) continue;
      if ((have.get(month) ?? 0) !== (byMonth.get(month) ?? 0)) corrected++;
      // Recomputed by equality as a change would be, so a publication meanwhile is not lost.
      await this.refresh(month);
    }
    return { sections: byMonth.size, corrected };
  }
}
