import { type Connection, Schema } from 'mongoose';
import { perConnection } from './per-connection.js';

/**
 * Notes the liaison unit keeps for a water body: the standing list of key and difficult
 * problems (重难点问题, art. 9, key `<water>:keyProblems`) and, per period, what its 明查暗访
 * turned up before the chief's patrol (本次巡河关注事项, art. 6, key `<water>:focus:<period>`).
 */
export interface WaterBodyNoteDoc {
  key: string;
  waterBodyId: string;
  kind: 'keyProblems' | 'focus';
  items: string[];
  by: string;
  at: Date;
}

const WaterBodyNoteSchema = new Schema<WaterBodyNoteDoc>(
  {
    key: { type: String, required: true },
    waterBodyId: { type: String, required: true },
    kind: { type: String, required: true },
    items: { type: [String], default: [] },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false, id: false, collection: 'water_body_notes' },
);
WaterBodyNoteSchema.index({ key: 1 }, { unique: true });

function build(connection: Connection) {
  return { waterBodyNotes: connection.model('WaterBodyNote', WaterBodyNoteSchema) };
}

export type WaterBodyNoteModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const waterBodyNoteModels = perConnection(build);
