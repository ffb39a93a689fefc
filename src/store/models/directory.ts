import { type Connection, Schema } from 'mongoose';
import type { DutySettings, ReminderSettings, UnitKind } from '../../domain/directory/directory.js';
import type { IssueSettings } from '../../domain/issues/supervision.js';
import type { MeetingSettings } from '../../domain/meetings/meeting-settings.js';
import { perConnection } from './per-connection.js';

/**
 * The directory's records, keyed by the district's stable ids (`key`). A record removed from
 * the roster is marked `removedAt`, never deleted, so patrols and problems stay attached.
 */

export interface PersonDoc {
  key: string;
  name: string;
  openId: string | null;
  mobile: string | null;
  email: string | null;
  removedAt: Date | null;
  updatedAt: Date;
}

export interface UnitDoc {
  key: string;
  name: string;
  kind: UnitKind;
  members: string[];
  chatId: string | null;
  head?: string | null;
  removedAt: Date | null;
  updatedAt: Date;
}

export interface WaterBodyDoc {
  key: string;
  name: string;
  kind: 'river' | 'lake';
  districtChief: string | null;
  liaisonUnit: string | null;
  townships: string[];
  townshipChiefs: Record<string, string>;
  villageChiefs: Record<string, string>;
  crossBoundary: boolean;
  neighbours: string[];
  chatId: string | null;
  removedAt: Date | null;
  updatedAt: Date;
}

/** District-wide settings and the last import; a single document with _id 'current'. */
export interface DirectorySettingsDoc {
  _id: string;
  district: string;
  generalChief: string;
  duties: DutySettings;
  reminderDelivery: 'groupChat' | 'direct';
  calendar: { holidays: string[]; makeUpWorkdays: string[] };
  reminders: ReminderSettings | null;
  issues: IssueSettings | null;
  meetings?: MeetingSettings | null;
  /** 启用日期 as the file set it (`2026-12-02`), or null. */
  goLiveOn?: string | null;
  /** Written once, by the first import: the go-live day when the file sets none. */
  firstImportedAt?: Date | null;
  updatedAt: Date;
  /** Changes with every import, so every instance knows when its cached directory is stale. */
  revision: string | null;
}

const options = { versionKey: false, minimize: false, id: false } as const;

const PersonSchema = new Schema<PersonDoc>(
  {
    key: { type: String, required: true },
    name: { type: String, required: true },
    openId: { type: String, default: null },
    mobile: { type: String, default: null },
    email: { type: String, default: null },
    removedAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'people' },
);
PersonSchema.index({ key: 1 }, { unique: true });
// Incoming events name people by open_id.
PersonSchema.index({ openId: 1 });

const UnitSchema = new Schema<UnitDoc>(
  {
    key: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    members: { type: [String], default: [] },
    chatId: { type: String, default: null },
    head: { type: String, default: null },
    removedAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'units' },
);
UnitSchema.index({ key: 1 }, { unique: true });
UnitSchema.index({ members: 1 });

const WaterBodySchema = new Schema<WaterBodyDoc>(
  {
    key: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    districtChief: { type: String, default: null },
    liaisonUnit: { type: String, default: null },
    townships: { type: [String], default: [] },
    townshipChiefs: { type: Schema.Types.Mixed, default: {} },
    villageChiefs: { type: Schema.Types.Mixed, default: {} },
    crossBoundary: { type: Boolean, default: false },
    neighbours: { type: [String], default: [] },
    chatId: { type: String, default: null },
    removedAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'water_bodies' },
);
WaterBodySchema.index({ key: 1 }, { unique: true });
WaterBodySchema.index({ districtChief: 1 });
WaterBodySchema.index({ liaisonUnit: 1 });

const DirectorySettingsSchema = new Schema<DirectorySettingsDoc>(
  {
    _id: { type: String, required: true },
    district: { type: String, required: true },
    generalChief: { type: String, required: true },
    duties: { type: Schema.Types.Mixed, required: true },
    reminderDelivery: { type: String, required: true },
    calendar: { type: Schema.Types.Mixed, default: () => ({ holidays: [], makeUpWorkdays: [] }) },
    reminders: { type: Schema.Types.Mixed, default: null },
    issues: { type: Schema.Types.Mixed, default: null },
    meetings: { type: Schema.Types.Mixed, default: null },
    goLiveOn: { type: String, default: null },
    firstImportedAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
    revision: { type: String, default: null },
  },
  { ...options, collection: 'directory_settings' },
);

function build(connection: Connection) {
  return {
    people: connection.model('Person', PersonSchema),
    units: connection.model('Unit', UnitSchema),
    waterBodies: connection.model('WaterBody', WaterBodySchema),
    settings: connection.model('DirectorySettings', DirectorySettingsSchema),
  };
}

export type DirectoryModels = ReturnType<typeof build>;

/** The models on this connection, compiled once. */
export const directoryModels = perConnection(build);
