import type { Meeting, MeetingKind } from '../domain/meetings/meeting.js';
import type { MeetingDoc, MeetingModels } from './models/meeting.js';
import { orUndefined } from './nullable.js';

function toMeeting(doc: MeetingDoc): Meeting {
  return {
    id: doc._id,
    kind: doc.kind,
    title: doc.title,
    waterBodyId: orUndefined(doc.waterBodyId),
    startsAt: doc.startsAt,
    place: doc.place,
    participants: doc.participants,
    convener: orUndefined(doc.convener),
    organiserUnit: doc.organiserUnit,
    minutesId: doc.minutesId,
    state: doc.state,
    version: doc.version,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
  };
}

/** Meetings: scheduling, their card copies and the reads reminders need. */
export class MeetingStore {
  constructor(private readonly models: MeetingModels) {}

  async create(meeting: Meeting, year: number): Promise<void> {
    await this.models.meetings.create({
      ...meeting,
      _id: meeting.id,
      waterBodyId: meeting.waterBodyId ?? null,
      convener: meeting.convener ?? null,
      year,
    });
  }

  async get(id: string): Promise<Meeting | undefined> {
    const doc = await this.models.meetings.findOne({ _id: id }).lean<MeetingDoc>().exec();
    return doc ? toMeeting(doc) : undefined;
  }

  /** Marks a meeting cancelled (the caller holds the once-only claim). */
  async cancel(id: string): Promise<void> {
    await this.models.meetings.updateOne({ _id: id }, { $set: { state: 'cancelled' }, $inc: { version: 1 } }).exec();
  }

  /** Scheduled meetings starting in [from, to), soonest first. */
  async startingBetween(from: Date, to: Date): Promise<Meeting[]> {
    const docs = await this.models.meetings
      .find({ state: 'scheduled', startsAt: { $gte: from, $lt: to } })
      .sort({ startsAt: 1 })
      .lean<MeetingDoc[]>()
      .exec();
    return docs.map(toMeeting);
  }

  /** Meetings of a kind in a local year that were not cancelled, in order. */
  async ofKindInYear(kind: MeetingKind, year: number, waterBodyId?: string): Promise<Meeting[]> {
    const filter: Record<string, unknown> = { kind, year, state: 'scheduled' };
    if (waterBodyId) filter.waterBodyId = waterBodyId;
    const docs = await this.models.meetings.find(filter).sort({ startsAt: 1 }).lean<MeetingDoc[]>().exec();
    return docs.map(toMeeting);
  }

  /** The latest 联席会议 of a water body that was not cancelled: its convener sets the rotation. */
  async lastJointMeeting(waterBodyId: string): Promise<Meeting | undefined> {
    const doc = await this.models.meetings
      .findOne({ kind: 'jointMeeting', waterBodyId, state: 'scheduled' })
      .sort({ startsAt: -1 })
      .lean<MeetingDoc>()
      .exec();
    return doc ? toMeeting(doc) : undefined;
  }
}
