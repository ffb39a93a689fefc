import { type Connection, Schema } from 'mongoose';
import { perConnection } from './per-connection.js';

/** Once-only operations (a notice's decision, a patrol's correction): the unique insert is the claim. */
export interface ClaimDoc {
  _id: string;
  by: string;
  at: Date;
  /**
   * What the claimed work produced (a form's answer, as JSON text so card keys are stored as
   * they are), for answering a repeat; null while the work is under way or when it keeps none.
   */
  result?: string | null;
}
const ClaimSchema = new Schema<ClaimDoc>(
  {
    _id: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    result: { type: String, default: null },
  },
  { versionKey: false, minimize: false, id: false, collection: 'claims' },
);

function build(connection: Connection) {
  return { claims: connection.model('Claim', ClaimSchema) };
}

export type ClaimModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const claimModels = perConnection(build);
