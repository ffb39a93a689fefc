import type { Meeting, MeetingKind } from '../domain/meetings/meeting.js';
import { type MeetingFigureModels, MeetingFigures } from './figures/meeting-figures.js';
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
  /** The months' scheduled meetings, kept here on every change; lists by time read them. */
  readonly figures: MeetingFigures;

  constructor(
    private readonly models: MeetingModels & MeetingFigureModels,
    /** The district's zone, for the months the figures keep. */
    timeZone = 'Asia/Shanghai',
  ) {
    this.figures = new MeetingFigures(models, timeZone);
  }

  async create(meeting: Meeting, year: number): Promise<void> {
    await this.models.meetings.create({
      ...meeting,
      _id: meeting.id,
      waterBodyId: meeting.waterBodyId ?? null,
      convener: meeting.convener ?? null,
      year,
    });
    await this.figures.refresh(meeting.startsAt);
  }

  async get(id: string): Promise<Meeting | undefined> {
    const doc = await this.models.meetings.findOne({ _id: id }).lean<MeetingDoc>().exec();
    return doc ? toMeeting(doc) : undefined;
  }

  /** Marks a meeting cancelled (the caller holds the once-only claim). */
  async cancel(id: string): Promise<void> {
    await this.models.meetings.updateOne({ _id: id }, { $set: { state: 'cancelled' }, $inc: { version: 1 } }).exec();
    const meeting = await this.models.meetings.findOne({ _id: id }, { startsAt: 1 }).lean<MeetingDoc>().exec();
    if (meeting) await this.figures.refresh(new Date(meeting.startsAt));
  }

  /**
   * Scheduled meetings starting in [from, to), soonest first: the figures name them, and only
   * they are read, by `_id` (a range on the embedded database reads every meeting there is).
   */
  async startingBetween(from: Date, to: Date): Promise<Meeting[]> {
    const ids = await this.figures.startingBetween(from, to);
    const docs = await Promise.all(
      ids.map((id) => this.models.meetings.findOne({ _id: id }).lean<MeetingDoc>().exec()),
    );
    // A meeting cancelled since its month was written is left out.
    return docs.filter((d): d is MeetingDoc => !!d && d.state === 'scheduled').map(toMeeting);
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
