import { type Connection, Schema } from 'mongoose';
import type { Admonition, SanctionKind } from '../../domain/accountability/sanction.js';
import { perConnection } from './per-connection.js';

/**
 * 提示、通报、约谈 against units: what the yearly assessment deducts for. `_id` is the key
 * (a supervision suggestion's confirmation uses the suggestion's, so it is recorded once).
 */
export interface SanctionDoc {
  _id: string;
  kind: SanctionKind;
  unitId: string;
  reason: string;
  issueIds: string[];
  issuedBy: string;
  issuedAt: Date;
  praise: boolean;
  /** Local year it was issued in: what the assessment of that year counts. */
  year: number;
  noticeKey: string | null;
  admonition: Admonition | null;
  /** A 约谈 waiting for its 复核: when the reminder falls due (null otherwise). */
  reviewDueAt: Date | null;
  version: number;
}

const SanctionSchema = new Schema<SanctionDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    unitId: { type: String, required: true },
    reason: { type: String, required: true },
    issueIds: { type: [String], default: [] },
    issuedBy: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    praise: { type: Boolean, default: false },
    year: { type: Number, required: true },
    noticeKey: { type: String, default: null },
    admonition: { type: Schema.Types.Mixed, default: null },
    reviewDueAt: { type: Date, default: null },
    version: { type: Number, required: true },
  },
  { versionKey: false, minimize: false, id: false, collection: 'sanctions' },
);
// The assessment reads a year's; the 复核 sweep those whose review is due.
SanctionSchema.index({ year: 1, unitId: 1 });
SanctionSchema.index({ reviewDueAt: 1 });

function build(connection: Connection) {
  return { sanctions: connection.model('Sanction', SanctionSchema) };
}

export type SanctionModels = ReturnType<typeof build>;

export const sanctionModels = perConnection(build);
