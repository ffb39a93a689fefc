import { isSentTo, messageKey } from '../../domain/delivery/message-keys.js';
import { unitName } from '../../domain/directory/directory.js';
import { goLiveDay, yearlyDeadlineCounts } from '../../domain/directory/go-live.js';
import { jointParties, MEETING_KIND_NAMES, nextConvener } from '../../domain/meetings/meeting.js';
import {
  approvalNudge,
  fourListsStage,
  meetingReminderStage,
  weeklyFrom,
  yearlyFrom,
} from '../../domain/meetings/meeting-settings.js';
import { fullDate, meetingTime } from '../../domain/time/format.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';
import { updateDeliveredCards } from '../card-copies.js';
import {
  distinctPlaces,
  notify,
  officeDestinations,
  personDestination,
  unitDestinationsById,
} from '../destinations.js';
import type { DocumentCopies } from '../documents/document-copies.js';
import type { DocumentService } from '../documents/document-service.js';
import type { Messenger } from '../ports.js';

export interface MeetingSweepDeps {
  directory: DirectoryStore;
  documents: DocumentStore;
  meetings: MeetingStore;
  messenger: Messenger;
  /** The copies of each document's card: a reminder brings the approver's copy up to date. */
  copies: DocumentCopies;
  /** Finishes a publication that was cut short. */
  publications: Pick<DocumentService, 'finishPublication'>;
  timeZone: string;
}

export interface MeetingSweepResult {
  meetingReminders: number;
  approvalReminders: number;
  annualMeeting: boolean;
  jointMeetings: number;
  fourLists: number;
  publicationsFinished: number;
}

/** An approval whose publication has not finished after this long was cut short. */
const PUBLICATION_GRACE_MS = 5 * 60_000;

/**
 * The meeting and document reminders (art. 5, 8, 10, 12), run by a job every few minutes:
 * each reminder has a once-only key, so running it twice, or on two instances, sends it once.
 */
export class MeetingSweep {
  constructor(private readonly deps: MeetingSweepDeps) {}

  async sweep(now: Date): Promise<MeetingSweepResult> {
    const result: MeetingSweepResult = {
      meetingReminders: 0,
      approvalReminders: 0,
      annualMeeting: false,
      jointMeetings: 0,
      fourLists: 0,
      publicationsFinished: 0,
    };
    const directory = await this.deps.directory.loadDirectory();
    if (!directory) return result;
    const { timeZone, messenger, meetings, documents, publications } = this.deps;
    const settings = directory.meetings;
    const hour = directory.reminders.hour;
    const calendar = new WorkCalendar({
      holidays: directory.calendar.holidays,
      makeUpWorkdays: directory.calendar.makeUpWorkdays,
    });
    const text = (t: string) => ({ kind: 'text' as const, text: t });

    // Approved documents whose publication was cut short (a crash, a restart) are finished.
    for (const doc of await documents.unfinishedPublications(new Date(now.getTime() - PUBLICATION_GRACE_MS))) {
      await publications.finishPublication(directory, doc);
      result.publicationsFinished++;
    }

    // Before a meeting: every participant, at each configured number of hours before.
    const horizon = new Date(now.getTime() + Math.max(0, ...settings.remindHoursBefore) * 3_600_000);
    for (const meeting of await meetings.startingBetween(now, horizon)) {
      const stage = meetingReminderStage(meeting.startsAt, settings.remindHoursBefore, now);
      if (stage === undefined) continue;
      const places = distinctPlaces(meeting.participants.map((p) => personDestination(directory, p)));
      await notify(
        messenger,
        places,
        messageKey('meetingReminder', { meetingId: meeting.id, hours: stage }),
        text(
          `会议提醒：${meeting.title}将于${meetingTime(meeting.startsAt, timeZone)}在${meeting.place}召开，请准时参加。`,
        ),
      );
      result.meetingReminders++;
    }

    // A draft waiting for its approver: a reminder after every N working days.
    for (const doc of await documents.pendingApproval()) {
      if (!doc.submittedAt) continue;
      const nudge = approvalNudge(doc.submittedAt, settings.approvalRemindAfterDays, calendar, hour, now, timeZone);
      const approver = personDestination(directory, doc.approverId);
      if (nudge === undefined || !approver) continue;
      // The reminder sends the approver to the card: one older than Feishu's 14-day window is sent afresh.
      const copies = doc.cardKeys.filter((k) => isSentTo(k, approver.place));
      if (copies.length > 0)
        await updateDeliveredCards(
          messenger,
          copies,
          `v${doc.version}:nudge:${nudge}`,
          await this.deps.copies.renderer(directory, doc),
        );
      await notify(
        messenger,
        [approver],
        messageKey('documentNudge', { documentId: doc.id, version: doc.version, nudge }),
        text(
          `《${doc.title}》已于${fullDate(doc.submittedAt, timeZone)}提交审定，尚待您审定。请在卡片上审定通过，或写明意见退回修改。`,
        ),
      );
      result.approvalReminders++;
    }

    // Art. 5: at least one 总河长会议 a year; 区总河长办公室 is reminded weekly from the set day.
    // A yearly deadline that fell before the district went live (启用日期) is not held against it.
    const goLive = goLiveDay(directory, timeZone);
    const week = weeklyFrom(settings.generalMeetingBy, hour, calendar, now, timeZone);
    if (
      week &&
      yearlyDeadlineCounts(settings.generalMeetingBy, week.year, goLive) &&
      (await meetings.ofKindInYear('generalChiefMeeting', week.year)).length === 0
    ) {
      const office = directory.units.find((u) => u.kind === 'generalChiefOffice');
      await notify(
        messenger,
        unitDestinationsById(directory, office?.id),
        messageKey('annualMeetingReminder', { year: week.year, week: week.week }),
        text(
          `${week.year}年尚未召开${MEETING_KIND_NAMES.generalChiefMeeting}。按照协调机制第五条，区级总河长每年至少召开1次总河长会议，请尽快安排（发送 /安排会议）。`,
        ),
      );
      result.annualMeeting = true;
    }

    // Art. 10: each year, whose turn it is to convene each cross-boundary 联席会议.
    const jointYear = yearlyFrom(settings.jointMeetingRemindOn, hour, calendar, now, timeZone);
    if (jointYear !== undefined && yearlyDeadlineCounts(settings.jointMeetingRemindOn, jointYear, goLive)) {
      for (const water of directory.waterBodies.filter((w) => w.crossBoundary)) {
        if ((await meetings.ofKindInYear('jointMeeting', jointYear, water.id)).length > 0) continue;
        const convener = nextConvener(
          jointParties(directory, water.id),
          (await meetings.lastJointMeeting(water.id))?.convener,
        );
        if (!convener) continue;
        const ours = convener === directory.district;
        await notify(
          messenger,
          officeDestinations(directory),
          messageKey('jointMeetingReminder', { waterId: water.id, year: jointYear }),
          text(
            ours
              ? `${jointYear}年${water.name}跨界河湖联席会议轮到我区召集，请区河长制办公室商定时间并发送 /安排会议。`
              : `${jointYear}年${water.name}跨界河湖联席会议由${convener}召集，请区河长制办公室与其对接，会议确定后发送 /安排会议 登记。`,
          ),
        );
        result.jointMeetings++;
      }
    }

    // Art. 12: the yearly four lists, before they are due and once overdue.
    const stage = fourListsStage(settings, hour, calendar, now, timeZone);
    if (stage && yearlyDeadlineCounts(settings.fourListsDueOn, stage.year, goLive)) {
      for (const water of directory.waterBodies.filter((w) => w.districtChief && w.liaisonUnit)) {
        const published = (await documents.ofKind('fourLists', stage.year, water.id)).some(
          (d) => d.state === 'published',
        );
        if (published) continue;
        const overdue = stage.daysBefore === 0;
        const places = distinctPlaces([
          ...unitDestinationsById(directory, water.liaisonUnit),
          ...(overdue ? officeDestinations(directory) : []),
        ]);
        const due = settings.fourListsDueOn.replace(/^0?(\d+)-0?(\d+)$/, '$1月$2日');
        await notify(
          messenger,
          places,
          messageKey('fourListsReminder', { waterId: water.id, year: stage.year, daysBefore: stage.daysBefore }),
          text(
            overdue
              ? `${water.name}${stage.year}年度“四张清单”已超过印发期限（${due}），请${unitName(directory, water.liaisonUnit)}尽快起草报审（发送 /起草 四张清单 ${water.name}）。`
              : `${water.name}${stage.year}年度“四张清单”须于${due}前印发，请${unitName(directory, water.liaisonUnit)}起草后报区级河湖长审定（发送 /起草 四张清单 ${water.name}）。`,
          ),
        );
        result.fourLists++;
      }
    }
    return result;
  }
}
