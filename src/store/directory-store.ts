import { randomUUID } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { DirectoryDiff, DirectorySettings } from '../domain/directory/diff.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  type Directory,
  type Person,
  type Unit,
  type WaterBody,
} from '../domain/directory/directory.js';
import { DEFAULT_ISSUE_SETTINGS } from '../domain/issues/supervision.js';
import { DEFAULT_MEETING_SETTINGS } from '../domain/meetings/meeting-settings.js';
import { bulkWriteInSlices } from './bulk-write.js';
import type { DirectoryModels, PersonDoc, UnitDoc, WaterBodyDoc } from './models/directory.js';
import { isDuplicateKey } from './mongo-errors.js';
import { orUndefined } from './nullable.js';

function personOf(doc: PersonDoc): Person {
  return {
    id: doc.key,
    name: doc.name,
    openId: orUndefined(doc.openId),
    mobile: orUndefined(doc.mobile),
    email: orUndefined(doc.email),
  };
}

function unitOf(doc: UnitDoc): Unit {
  return {
    id: doc.key,
    name: doc.name,
    kind: doc.kind,
    members: doc.members,
    chatId: orUndefined(doc.chatId),
    head: orUndefined(doc.head ?? null),
  };
}

function waterBodyOf(doc: WaterBodyDoc): WaterBody {
  return {
    id: doc.key,
    name: doc.name,
    kind: doc.kind,
    districtChief: orUndefined(doc.districtChief),
    liaisonUnit: orUndefined(doc.liaisonUnit),
    townships: doc.townships,
    townshipChiefs: doc.townshipChiefs,
    villageChiefs: doc.villageChiefs,
    crossBoundary: doc.crossBoundary,
    neighbours: doc.neighbours,
    chatId: orUndefined(doc.chatId),
  };
}

/** Reads the active directory and applies an import's changes in place. */
export class DirectoryStore {
  /** The directory as last read, with the import revision it was read at. */
  private cached: { revision: string; directory: Directory } | undefined;

  constructor(
    private readonly models: DirectoryModels,
    private readonly clock: Clock,
  ) {}

  /** The records currently on the roster (removed ones excluded), and the settings. */
  async loadActive(): Promise<{
    people: Person[];
    units: Unit[];
    waterBodies: WaterBody[];
    settings: DirectorySettings | undefined;
    firstImportedAt?: Date;
  }> {
    const [people, units, waterBodies, settings] = await Promise.all([
      this.models.people.find({ removedAt: null }).lean<PersonDoc[]>().exec(),
      this.models.units.find({ removedAt: null }).lean<UnitDoc[]>().exec(),
      this.models.waterBodies.find({ removedAt: null }).lean<WaterBodyDoc[]>().exec(),
      this.models.settings.findById('current').lean().exec(),
    ]);
    return {
      people: people.map(personOf),
      units: units.map(unitOf),
      waterBodies: waterBodies.map(waterBodyOf),
      settings: settings
        ? {
            district: settings.district,
            generalChief: settings.generalChief,
            duties: settings.duties,
            reminderDelivery: settings.reminderDelivery,
            calendar: settings.calendar,
            reminders: settings.reminders ?? DEFAULT_REMINDER_SETTINGS,
            // Settings added since an older import take their defaults.
            issues: { ...DEFAULT_ISSUE_SETTINGS, ...settings.issues },
            meetings: settings.meetings ?? DEFAULT_MEETING_SETTINGS,
            ...(settings.goLiveOn ? { goLiveOn: settings.goLiveOn } : {}),
          }
        : undefined,
      ...(settings?.firstImportedAt ? { firstImportedAt: settings.firstImportedAt } : {}),
    };
  }

  /**
   * The whole active directory, or undefined before the first import. Every tap needs it, so
   * it is kept in memory and read again only when an import (by any instance) changed the
   * revision: one small read instead of four collections.
   */
  async loadDirectory(): Promise<Directory | undefined> {
    const head = await this.models.settings
      .findById('current', { revision: 1 })
      .lean<{ revision?: string | null }>()
      .exec();
    let revision = head?.revision ?? undefined;
    if (revision && this.cached?.revision === revision) return this.cached.directory;
    // A directory imported before revisions were kept gets one now, or every tap would read it
    // whole until the next import. Two instances doing this at once merely read it once more.
    if (head && !revision) {
      revision = randomUUID();
      await this.models.settings.updateOne({ _id: 'current', revision: null }, { $set: { revision } }).exec();
    }
    const active = await this.loadActive();
    if (!active.settings) return undefined;
    const directory: Directory = {
      ...active.settings,
      ...(active.firstImportedAt ? { firstImportedAt: active.firstImportedAt } : {}),
      people: active.people,
      units: active.units,
      waterBodies: active.waterBodies,
    };
    this.cached = revision ? { revision, directory } : undefined;
    return directory;
  }

  /**
   * Writes only what the diff says changed: upserts by stable key, marks removals. Every
   * write is idempotent, so an import interrupted by a crash converges when run again.
   * What the diff adds is first inserted in bulk: on the embedded database an upsert costs a
   * query and a write each, and a province's first import (50,000 people) took many minutes.
   * An insert the unique key refuses (someone removed before and added again, an import run
   * again after a crash) is then upserted like a change.
   */
  async apply(directory: Directory, diff: DirectoryDiff): Promise<void> {
    const now = this.clock.now();
    const upsert = <T extends { id: string }>(items: T[], toDoc: (item: T) => Record<string, unknown>) =>
      items.map((item) => ({
        updateOne: {
          filter: { key: item.id },
          update: { $set: { ...toDoc(item), removedAt: null, updatedAt: now } },
          upsert: true,
        },
      }));
    const insertAdded = async <T extends { id: string }>(
      model: { collection: { insertMany(docs: object[], options: { ordered: false }): Promise<unknown> } },
      items: T[],
      toDoc: (item: T) => Record<string, unknown>,
    ): Promise<T[]> => {
      if (items.length === 0) return [];
      try {
        // The driver's insert: the same documents the upsert below would create, no more.
        await model.collection.insertMany(
          items.map((item) => ({ key: item.id, ...toDoc(item), removedAt: null, updatedAt: now })),
          { ordered: false },
        );
        return [];
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ code?: unknown; err?: { code?: unknown } }> })
          .writeErrors;
        const duplicates = isDuplicateKey(error) || writeErrors?.every((e) => (e.code ?? e.err?.code) === 11000);
        if (!duplicates) throw error;
        // Those already there (or all of them, to be sure) are upserted below.
        return items;
      }
    };
    const remove = (keys: string[]) =>
      keys.map((key) => ({ updateOne: { filter: { key }, update: { $set: { removedAt: now, updatedAt: now } } } }));

    const personDoc = (p: Directory['people'][number]) => ({
      name: p.name,
      openId: p.openId ?? null,
      mobile: p.mobile ?? null,
      email: p.email ?? null,
    });
    const unitDoc = (u: Directory['units'][number]) => ({
      name: u.name,
      kind: u.kind,
      members: u.members,
      chatId: u.chatId ?? null,
      head: u.head ?? null,
    });
    const waterDoc = (w: Directory['waterBodies'][number]) => ({
      name: w.name,
      kind: w.kind,
      districtChief: w.districtChief ?? null,
      liaisonUnit: w.liaisonUnit ?? null,
      townships: w.townships,
      townshipChiefs: w.townshipChiefs,
      villageChiefs: w.villageChiefs,
      crossBoundary: w.crossBoundary,
      neighbours: w.neighbours,
      chatId: w.chatId ?? null,
    });
    const people = [...(await insertAdded(this.models.people, diff.people.added, personDoc)), ...diff.people.changed];
    const units = [...(await insertAdded(this.models.units, diff.units.added, unitDoc)), ...diff.units.changed];
    const waters = [
      ...(await insertAdded(this.models.waterBodies, diff.waterBodies.added, waterDoc)),
      ...diff.waterBodies.changed,
    ];
    const peopleOps = [...upsert(people, personDoc), ...remove(diff.people.removed)];
    const unitOps = [...upsert(units, unitDoc), ...remove(diff.units.removed)];
    const waterOps = [...upsert(waters, waterDoc), ...remove(diff.waterBodies.removed)];
    await bulkWriteInSlices(this.models.people, peopleOps);
    await bulkWriteInSlices(this.models.units, unitOps);
    await bulkWriteInSlices(this.models.waterBodies, waterOps);
    if (diff.settingsChanged) {
      await this.models.settings.updateOne(
        { _id: 'current' },
        {
          $set: {
            district: directory.district,
            generalChief: directory.generalChief,
            duties: directory.duties,
            reminderDelivery: directory.reminderDelivery,
            calendar: directory.calendar,
            reminders: directory.reminders,
            issues: directory.issues,
            meetings: directory.meetings,
            goLiveOn: directory.goLiveOn ?? null,
            updatedAt: now,
          },
          // The go-live day of a directory that sets none: recorded by the first import, kept after.
          $setOnInsert: { firstImportedAt: now },
        },
        { upsert: true },
      );
    }
    // Last, so an instance that sees the new revision also sees everything written above.
    await this.models.settings.updateOne({ _id: 'current' }, { $set: { revision: randomUUID() } });
  }
}
