import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, inOffices } from '../../domain/directory/directory.js';
import { type Period, periodContaining, periodLabel, previousPeriod } from '../../domain/time/period.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError } from '../../errors.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { IssueStore } from '../../store/issue-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';
import { notify, officeDestinations } from '../destinations.js';
import type { CardJson, Messenger } from '../ports.js';
import { requireDirectory } from '../require-directory.js';
import type { StatusService } from './status-service.js';
import type { DigestView, StatusCardPresenter } from './views.js';

/** What the digest reads (the status figures, the month's problems, documents and meetings) and sends with. */
export interface MonthlyDigestDeps {
  status: Pick<StatusService, 'view'>;
  directory: DirectoryStore;
  issues: IssueStore;
  documents: DocumentStore;
  meetings: MeetingStore;
  cards: Pick<StatusCardPresenter, 'digest'>;
  messenger: Messenger;
  clock: Clock;
  timeZone: string;
}

/**
 * 月度简报: the district's status with last month's notable items, sent to the River Chief
 * Office's chat on the first working day of each month at the reminder hour (once, however
 * often the job runs), and on demand with /简报.
 */
export class MonthlyDigest {
  constructor(private readonly deps: MonthlyDigestDeps) {}

  /** The job: sends last month's digest if today is the month's first working day. */
  async sendIfDue(now: Date): Promise<boolean> {
    const { deps } = this;
    const directory = await deps.directory.loadDirectory();
    if (!directory) return false;
    const local = toLocal(now, deps.timeZone);
    const calendar = new WorkCalendar({
      holidays: directory.calendar.holidays,
      makeUpWorkdays: directory.calendar.makeUpWorkdays,
    });
    const month = periodContaining('month', now, deps.timeZone);
    const firstWorkingDay = calendar.workingDayOnOrAfter(month.firstDay, month.lastDay);
    if (!firstWorkingDay || firstWorkingDay.day !== local.day || local.hour < directory.reminders.hour) return false;
    const last = previousPeriod(month, deps.timeZone);
    const card = deps.cards.digest(await this.view(directory, last));
    await notify(deps.messenger, officeDestinations(directory), messageKey('monthlyDigest', { periodKey: last.key }), {
      kind: 'card',
      card,
    });
    return true;
  }

  /** `/简报`: last month's digest, for those who see the whole district. */
  async onDemand(actorOpenId: string): Promise<CardJson> {
    const { deps } = this;
    const directory = await requireDirectory(deps.directory);
    const person = directory.people.find((p) => p.openId === actorOpenId);
    if (!person || !(inOffices(directory, person.id) || directory.generalChief === person.id))
      throw new ForbiddenError(
        '月度简报供区河长制办公室、区总河长办公室和区级总河长查看；您可以发送 /状态 查看您负责的范围。',
      );
    const last = previousPeriod(periodContaining('month', deps.clock.now(), deps.timeZone), deps.timeZone);
    return deps.cards.digest(await this.view(directory, last));
  }

  private async view(directory: Directory, month: Period): Promise<DigestView> {
    const { deps } = this;
    // The month's own figures, not the current month's under its title.
    const status = await deps.status.view(
      directory,
      { district: true, waterBodyIds: new Set(), unitIds: new Set() },
      '',
      month,
    );
    // Every count from the read models: a document or two per figure, never the month's records.
    const [{ opened, closed }, published, meetings] = await Promise.all([
      deps.issues.figures.monthTotals(month.key),
      deps.documents.figures.publishedIn(month.key),
      deps.meetings.figures.startingBetween(month.start, month.end),
    ]);
    const label = `${month.index}月`;
    const rates = status.charts.patrolRates.filter((r) => r.month === label).map((r) => `${r.level} ${r.rate}%`);
    return {
      ...status,
      month: periodLabel(month, false),
      notable: [
        rates.length > 0 ? `巡河履职率：${rates.join('，')}` : '',
        `新增问题 ${opened} 个，销号 ${closed} 个；目前逾期 ${status.issues.overdue} 个`,
        `召开会议 ${meetings.length} 个，印发纪要和文件 ${published} 份`,
        status.decisions.overdue > 0 ? `议定事项逾期 ${status.decisions.overdue} 项` : '',
      ].filter(Boolean),
    };
  }
}
