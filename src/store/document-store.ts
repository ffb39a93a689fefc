import type {
  DocumentHistoryLine,
  DocumentKind,
  NumberSeries,
  OfficialDocument,
} from '../domain/documents/document.js';
import { type DocumentFigureModels, DocumentFigures } from './figures/document-figures.js';
import type { DocumentChangeDoc, DocumentDoc, DocumentModels } from './models/document.js';
import { isDuplicateKey } from './mongo-errors.js';
import { orUndefined } from './nullable.js';

const NUMBER_ATTEMPTS = 50;

function toDocument(doc: DocumentDoc): OfficialDocument {
  return {
    id: doc._id,
    kind: doc.kind,
    title: doc.title,
    year: doc.year,
    waterBodyId: orUndefined(doc.waterBodyId),
    meetingId: orUndefined(doc.meetingId),
    state: doc.state,
    version: doc.version,
    drafterUnit: doc.drafterUnit,
    approverId: doc.approverId,
    trackerUnit: doc.trackerUnit,
    items: doc.items,
    body: doc.body,
    attachments: doc.attachments,
    number: orUndefined(doc.number),
    submittedAt: orUndefined(doc.submittedAt),
    publishedAt: orUndefined(doc.publishedAt),
    lastReturn: orUndefined(doc.lastReturn),
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    history: doc.history,
    cardKeys: doc.cardKeys,
  };
}

/** The fields of a document a change may write. */
export type DocumentFields = Partial<
  Pick<
    OfficialDocument,
    'state' | 'version' | 'items' | 'body' | 'attachments' | 'submittedAt' | 'publishedAt' | 'lastReturn' | 'number'
  >
> & {
  /** Set with the approval; cleared once publication has finished. */
  pendingPublication?: boolean;
};

function stored(fields: DocumentFields): Record<string, unknown> {
  // Absent optional values are written as null, so a change can clear them (lastReturn).
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ?? null]));
}

/** Minutes, plans, four lists and health reports, with their once-only changes and numbers. */
export class DocumentStore {
  /** Publications per month (/简报), recomputed with every change that publishes. */
  readonly figures: DocumentFigures;

  constructor(
    private readonly models: DocumentModels & DocumentFigureModels,
    /** The district's zone, for the months the figures keep. */
    timeZone = 'Asia/Shanghai',
  ) {
    this.figures = new DocumentFigures(models, timeZone);
  }

  async create(doc: OfficialDocument): Promise<void> {
    await this.models.documents.create({
      ...doc,
      _id: doc.id,
      waterBodyId: doc.waterBodyId ?? null,
      meetingId: doc.meetingId ?? null,
      number: null,
      pendingPublication: false,
      submittedAt: null,
      publishedAt: null,
      lastReturn: null,
    });
  }

  /** A document by id, with any change that was claimed but not yet written repaired. */
  async get(id: string): Promise<OfficialDocument | undefined> {
    let doc = await this.models.documents.findOne({ _id: id }).lean<DocumentDoc>().exec();
    for (let repairs = 0; doc && repairs < 10; repairs++) {
      const pending = await this.models.documentChanges
        .findOne({ _id: `${id}@${doc.version}` })
        .lean<DocumentChangeDoc>()
        .exec();
      if (!pending) break;
      await this.write(id, doc.version, pending.after, pending.line, doc.publishedMonth ?? null);
      doc = await this.models.documents.findOne({ _id: id }).lean<DocumentDoc>().exec();
    }
    return doc ? toDocument(doc) : undefined;
  }

  /**
   * Saves a change made from `from.version`. Returns false, writing nothing, when another
   * change from that version was claimed first (a concurrent tap or an outdated card).
   */
  async applyChange(from: OfficialDocument, fields: DocumentFields, line: DocumentHistoryLine): Promise<boolean> {
    const after = stored({ ...fields, version: from.version + 1 });
    // The month goes with the change (its claim included), so a repaired change keeps it too.
    if ('publishedAt' in fields)
      after.publishedMonth = fields.publishedAt ? this.figures.monthOf(fields.publishedAt) : null;
    try {
      await this.models.documentChanges.create({ _id: `${from.id}@${from.version}`, documentId: from.id, line, after });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    await this.write(
      from.id,
      from.version,
      after,
      line,
      from.publishedAt ? this.figures.monthOf(from.publishedAt) : null,
    );
    return true;
  }

  /**
   * Writes a change, then recomputes the months of publications it can alter (the month the
   * document was published in before, and after), in the same path: /简报 counts it at once.
   */
  private async write(
    id: string,
    version: number,
    after: Record<string, unknown>,
    line: DocumentHistoryLine,
    monthBefore: string | null,
  ): Promise<void> {
    await this.models.documents.updateOne({ _id: id, version }, { $set: after, $push: { history: line } }).exec();
    if (!('state' in after) && !('publishedMonth' in after)) return;
    const monthAfter = 'publishedMonth' in after ? (after.publishedMonth as string | null) : monthBefore;
    for (const month of new Set([monthBefore, monthAfter])) if (month) await this.figures.refresh(month);
  }

  /** Records the number a published document was given. */
  async setNumber(id: string, number: string): Promise<void> {
    await this.models.documents.updateOne({ _id: id }, { $set: { number } }).exec();
  }

  /** Publication has finished: nothing is left for the sweep to complete. */
  async publicationDone(id: string): Promise<void> {
    await this.models.documents.updateOne({ _id: id }, { $set: { pendingPublication: false } }).exec();
  }

  /** Approved documents whose publication did not finish (the process stopped part way). */
  async unfinishedPublications(approvedBefore: Date): Promise<OfficialDocument[]> {
    const docs = await this.models.documents
      .find({ pendingPublication: true, publishedAt: { $lt: approvedBefore } })
      .lean<DocumentDoc[]>()
      .exec();
    return docs.map(toDocument);
  }

  /** Sets a tracked item's problem once the item has become one. */
  async linkItem(id: string, n: number, issueId: string): Promise<void> {
    const doc = await this.get(id);
    if (!doc) return;
    const items = doc.items.map((i) => (i.n === n ? { ...i, issueId } : i));
    await this.models.documents.updateOne({ _id: id }, { $set: { items } }).exec();
  }

  async addCardKey(id: string, key: string): Promise<void> {
    await this.models.documents.updateOne({ _id: id }, { $addToSet: { cardKeys: key } }).exec();
  }

  /**
   * The document's number in its series and year: the one it already has, or the next free
   * one, claimed by a unique `_id` so two publications at once never share a number.
   */
  async allocateNumber(documentId: string, series: NumberSeries, year: number): Promise<number> {
    const mine = await this.models.documentNumbers.findOne({ documentId }).lean().exec();
    if (mine) return mine.seq;
    for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
      const last = await this.models.documentNumbers.findOne({ series, year }).sort({ seq: -1 }).lean().exec();
      const seq = (last?.seq ?? 0) + 1;
      try {
        await this.models.documentNumbers.create({ _id: `${series}:${year}:${seq}`, series, year, seq, documentId });
        return seq;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new Error(`could not allocate a ${series} number for ${year} after ${NUMBER_ATTEMPTS} attempts`);
  }

  /** The latest draft of a kind by one of these drafting units (where `/议定` goes). */
  async latestDraft(kind: DocumentKind, drafterUnits: string[]): Promise<OfficialDocument | undefined> {
    const doc = await this.models.documents
      .findOne({ kind, state: 'drafting', drafterUnit: { $in: drafterUnits } })
      .sort({ createdAt: -1 })
      .lean<DocumentDoc>()
      .exec();
    return doc ? toDocument(doc) : undefined;
  }

  /**
   * How many documents were published in [from, to), counted by the database (reads every
   * document there is on the embedded one): /简报 reads `figures.publishedIn` instead; kept
   * for the tests that check the figures against it.
   */
  async publishedBetween(from: Date, to: Date): Promise<number> {
    return this.models.documents.countDocuments({ state: 'published', publishedAt: { $gte: from, $lt: to } }).exec();
  }

  /** Drafts waiting for their approver. */
  async pendingApproval(): Promise<OfficialDocument[]> {
    const docs = await this.models.documents
      .find({ state: 'pendingApproval' })
      .sort({ submittedAt: 1 })
      .lean<DocumentDoc[]>()
      .exec();
    return docs.map(toDocument);
  }

  /** Documents of a kind for a year (and water body). */
  async ofKind(kind: DocumentKind, year: number, waterBodyId?: string): Promise<OfficialDocument[]> {
    const filter: Record<string, unknown> = { kind, year };
    if (waterBodyId) filter.waterBodyId = waterBodyId;
    const docs = await this.models.documents.find(filter).sort({ createdAt: 1 }).lean<DocumentDoc[]>().exec();
    return docs.map(toDocument);
  }
}
