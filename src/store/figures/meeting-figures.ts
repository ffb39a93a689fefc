import { type Connection, Schema } from 'mongoose';
import { periodContaining } from '../../domain/time/period.js';
import type { MeetingDoc, MeetingModels } from '../models/meeting.js';
import { perConnection } from '../models/per-connection.js';
import { isDuplicateKey } from '../mongo-errors.js';

/**
 * The meeting read model: per local month, the scheduled (not cancelled) meetings starting in
 * it, soonest first. /状态's upcoming meetings, /简报's meetings of the month, /会议 and the
 * meeting reminders read one or two of these and then the listed meetings by `_id`, never the
 * meetings of other months. A month is written whole after recomputing it from the meetings
 * of its year (an equality query), and checked until stored and recomputed agree, as the
 * problem figures are (see problem-buckets.ts for why whole documents).
 */
export interface MeetingMonthDoc {
  _id: string;
  meetings: Array<{ id: string; startsAt: Date }>;
}

const MeetingMonthSchema = new Schema<MeetingMonthDoc>(
  {
    _id: { type: String, required: true },
    meetings: { type: Schema.Types.Mixed, default: [] },
  },
  { versionKey: false, minimize: false, id: false, collection: 'meeting_figures_month' },
);

function build(connection: Connection) {
  return { meetingFiguresByMonth: connection.model('MeetingFiguresByMonth', MeetingMonthSchema) };
}
export type MeetingFigureModels = ReturnType<typeof build>;
export const meetingFigureModels = perConnection(build);

const SETTLE_ROUNDS = 6;

type Listed = MeetingMonthDoc['meetings'];
const canonical = (list: Listed | undefined) =>
  (list ?? []).map((m) => `${m.id}@${new Date(m.startsAt).getTime()}`).join(',');

function listOf(docs: Array<Pick<MeetingDoc, '_id' | 'startsAt'>>): Listed {
  return docs
    .map((d) => ({ id: d._id, startsAt: new Date(d.startsAt) }))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id));
}

export class MeetingFigures {
  constructor(
    private readonly models: MeetingModels & MeetingFigureModels,
    private readonly timeZone: string,
  ) {}

  monthOf(at: Date): string {
    return periodContaining('month', at, this.timeZone).key;
  }

  /** Brings the month a meeting starts in up to date (after it was scheduled or cancelled). */
  async refresh(startsAt: Date): Promise<void> {
    const month = this.monthOf(startsAt);
    let fresh = await this.compute(month);
    await this.write(month, fresh);
    for (let round = 1; round < SETTLE_ROUNDS; round++) {
      const [now, stored] = await Promise.all([this.compute(month), this.stored(month)]);
      if (canonical(now) === canonical(stored)) return;
      fresh = now;
      await this.write(month, fresh);
    }
  }

  private async compute(month: string): Promise<Listed> {
    const docs = await this.models.meetings
      .find({ year: Number(month.slice(0, 4)), state: 'scheduled' }, { _id: 1, startsAt: 1 })
      .lean<Array<Pick<MeetingDoc, '_id' | 'startsAt'>>>()
      .exec();
    return listOf(docs.filter((d) => this.monthOf(new Date(d.startsAt)) === month));
  }

  private async stored(month: string): Promise<Listed | undefined> {
    return (await this.models.meetingFiguresByMonth.findOne({ _id: month }).lean<MeetingMonthDoc>().exec())?.meetings;
  }

  private async write(month: string, meetings: Listed): Promise<void> {
    try {
      await this.models.meetingFiguresByMonth.replaceOne({ _id: month }, { _id: month, meetings }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.models.meetingFiguresByMonth.replaceOne({ _id: month }, { _id: month, meetings });
    }
  }

  /** Ids of scheduled meetings starting in [from, to), soonest first, from the months it spans. */
  async startingBetween(from: Date, to: Date): Promise<string[]> {
    const months: string[] = [];
    for (let at = from; at.getTime() < to.getTime(); ) {
      const period = periodContaining('month', at, this.timeZone);
      months.push(period.key);
      at = period.end;
    }
    const docs = await Promise.all(
      months.map((m) => this.models.meetingFiguresByMonth.findOne({ _id: m }).lean<MeetingMonthDoc>().exec()),
    );
    return docs
      .flatMap((d) => d?.meetings ?? [])
      .filter((m) => new Date(m.startsAt) >= from && new Date(m.startsAt) < to)
      .map((m) => m.id);
  }

  /** Recomputes every month from all meetings; returns how many months there are and how many were wrong. */
  async rebuild(): Promise<{ sections: number; corrected: number }> {
    const docs = await this.models.meetings
      .find({ state: 'scheduled' }, { _id: 1, startsAt: 1 })
      .lean<Array<Pick<MeetingDoc, '_id' | 'startsAt'>>>()
      .exec();
    const byMonth = new Map<string, Array<Pick<MeetingDoc, '_id' | 'startsAt'>>>();
    for (const d of docs) {
      const month = this.monthOf(new Date(d.startsAt));
      byMonth.set(month, [...(byMonth.get(month) ?? []), d]);
    }
    const stored = await this.models.meetingFiguresByMonth.find({}).lean<MeetingMonthDoc[]>().exec();
    const months = new Set([...byMonth.keys(), ...stored.map((s) => s._id)]);
    const have = new Map(stored.map((s) => [s._id, s.meetings]));
    let corrected = 0;
    for (const month of months) {
      if (canonical(have.get(month)) === canonical(listOf(byMonth.get(month) ?? []))) continue;
      corrected++;
      // Recomputed by equality as a change would be, so a meeting scheduled meanwhile is not lost.
      await this.refresh(new Date(`${month}-15T00:00:00Z`));
    }
    return { sections: byMonth.size, corrected };
  }
}
