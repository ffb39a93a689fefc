import { type Connection, Schema } from 'mongoose';
import type {
  DocumentAttachment,
  DocumentHistoryLine,
  DocumentItem,
  DocumentKind,
  DocumentState,
} from '../../domain/documents/document.js';
import { perConnection } from './per-connection.js';

/**
 * Official documents: minutes of meetings, plans, four lists and health reports, with the
 * claims that keep their changes and numbers single. `_id` is the key everywhere: on the
 * embedded FerretDB only `_id` lookups avoid reading a whole collection.
 */

export interface DocumentDoc {
  _id: string;
  kind: DocumentKind;
  title: string;
  year: number;
  waterBodyId: string | null;
  meetingId: string | null;
  state: DocumentState;
  version: number;
  drafterUnit: string;
  approverId: string;
  trackerUnit: string;
  items: DocumentItem[];
  body: string;
  attachments: DocumentAttachment[];
  number: string | null;
  /** Approved, and publication (number, posts, tracked items) not yet finished. */
  pendingPublication: boolean;
  submittedAt: Date | null;
  publishedAt: Date | null;
  /** The local month of `publishedAt` (`2026-11`): the document figures count a month by equality. */
  publishedMonth?: string | null;
  lastReturn: { by: string; at: Date; comment: string } | null;
  createdBy: string;
  createdAt: Date;
  history: DocumentHistoryLine[];
  cardKeys: string[];
}

/**
 * One change to a document: `_id` is `<document>@<version it started from>`, so inserting it
 * is the atomic claim that lets exactly one of two simultaneous taps apply. `after` holds the
 * fields written, so a crash before the document's update is repaired on the next read.
 */
export interface DocumentChangeDoc {
  _id: string;
  documentId: string;
  line: DocumentHistoryLine;
  after: Record<string, unknown>;
}

/** A published document's number, claimed by `_id` `<series>:<year>:<seq>`. */
export interface DocumentNumberDoc {
  _id: string;
  series: string;
  year: number;
  seq: number;
  documentId: string;
}

const options = { versionKey: false as const, minimize: false, id: false };

const DocumentSchema = new Schema<DocumentDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    year: { type: Number, required: true },
    waterBodyId: { type: String, default: null },
    meetingId: { type: String, default: null },
    state: { type: String, required: true },
    version: { type: Number, required: true },
    drafterUnit: { type: String, required: true },
    approverId: { type: String, required: true },
    trackerUnit: { type: String, required: true },
    items: { type: Schema.Types.Mixed, default: [] },
    body: { type: String, default: '' },
    attachments: { type: Schema.Types.Mixed, default: [] },
    number: { type: String, default: null },
    pendingPublication: { type: Boolean, default: false },
    submittedAt: { type: Date, default: null },
    publishedAt: { type: Date, default: null },
    publishedMonth: { type: String, default: null },
    lastReturn: { type: Schema.Types.Mixed, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    history: { type: Schema.Types.Mixed, default: [] },
    cardKeys: { type: [String], default: [] },
  },
  { ...options, collection: 'documents' },
);
// Approval reminders read drafts waiting; the yearly four lists by kind, year and water body.
DocumentSchema.index({ state: 1, submittedAt: 1 });
DocumentSchema.index({ kind: 1, year: 1, waterBodyId: 1 });
DocumentSchema.index({ pendingPublication: 1 });
// The document figures recompute a month's publications by equality.
DocumentSchema.index({ publishedMonth: 1 });

const DocumentChangeSchema = new Schema<DocumentChangeDoc>(
  {
    _id: { type: String, required: true },
    documentId: { type: String, required: true },
    line: { type: Schema.Types.Mixed, required: true },
    after: { type: Schema.Types.Mixed, required: true },
  },
  { ...options, collection: 'document_changes' },
);

const DocumentNumberSchema = new Schema<DocumentNumberDoc>(
  {
    _id: { type: String, required: true },
    series: { type: String, required: true },
    year: { type: Number, required: true },
    seq: { type: Number, required: true },
    documentId: { type: String, required: true },
  },
  { ...options, collection: 'document_numbers' },
);
DocumentNumberSchema.index({ series: 1, year: 1, seq: -1 });
DocumentNumberSchema.index({ documentId: 1 });

function build(connection: Connection) {
  return {
    documents: connection.model('OfficialDocument', DocumentSchema),
    documentChanges: connection.model('DocumentChange', DocumentChangeSchema),
    documentNumbers: connection.model('DocumentNumber', DocumentNumberSchema),
  };
}

export type DocumentModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const documentModels = perConnection(build);
