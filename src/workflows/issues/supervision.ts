import { messageKey, toPlace } from '../../domain/delivery/message-keys.js';
import { type Directory, inOffices, personName, unitName } from '../../domain/directory/directory.js';
import { townshipChiefFor } from '../../domain/issues/involvement.js';
import type { Issue } from '../../domain/issues/issue.js';
import {
  daysToDeadline,
  deadlineDay,
  deadlineStatus,
  type SupervisionStep,
  supervisionDue,
} from '../../domain/issues/supervision.js';
import { shortDate } from '../../domain/time/format.js';
import { formatLocalDate, fromLocal, toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError } from '../../errors.js';
import type { SupervisionNoticeDoc } from '../../store/models/issue.js';
import { updateDeliveredCards } from '../card-copies.js';
import { type Destination, notify, officeDestinations, personDestination, unitDestinations } from '../destinations.js';
import type { CardJson } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import { deadlineText } from './deadline-text.js';
import type { IssueDeps } from './issue-deps.js';
import { issueCardRenderer } from './issue-view.js';
import { supervisionStepsFor, workCalendar } from './supervision-schedule.js';
import type { EscalationView } from './views.js';

/** How many problems one sweep looks at; the rest wait for the next run (every 10 minutes). */
const SWEEP_BATCH = 2000;

export interface SweepOutcome {
  reminders: number;
  overdue: number;
  escalations: number;
  /** Problems still waiting to be assigned, listed to the office (at most once a working day). */
  unassigned: number;
}

/** How many waiting problems the office's daily list names; the count covers them all. */
const UNASSIGNED_LISTED = 20;

/**
 * 督办: the supervision job's body. Looks only at problems whose next step is due (an
 * indexed field), acts on the latest step due and records when to look again. Every
 * message has a once-only key, so a second instance or a rerun acts once.
 */
export class IssueSupervision {
  constructor(
    private readonly deps: Omit<IssueDeps, 'patrols'>,
    /** A confirmed suggestion becomes the 提示/通报 it is: recorded for the assessment, sent to the unit. */
    private readonly onConfirmed: (
      notice: SupervisionNoticeDoc,
      kind: 'prompt' | 'bulletin',
      by: string,
    ) => Promise<void>,
  ) {}

  async sweep(now: Date): Promise<SweepOutcome> {
    const outcome: SweepOutcome = { reminders: 0, overdue: 0, escalations: 0, unassigned: 0 };
    const directory = await this.deps.directory.loadDirectory();
    if (!directory) return outcome;
    for (const issue of await this.deps.issues.dueForSupervision(now, SWEEP_BATCH)) {
      try {
        const steps = issue.deadline
          ? supervisionStepsFor(directory, issue.deadline, issue.deadlineSetAt ?? issue.createdAt, this.deps.timeZone)
          : [];
        const { due, nextAt } = supervisionDue(steps, now);
        if (due) {
          await this.act(directory, issue, due, now);
          outcome[due.kind === 'dueSoon' ? 'reminders' : due.kind === 'overdue' ? 'overdue' : 'escalations'] += 1;
        }
        await this.deps.issues.setNextSupervision(issue.id, nextAt ?? null);
      } catch (error) {
        // One problem's failure must not stop the others; it is looked at again in an hour.
        this.deps.logger.error({ err: error, issue: issue.id }, 'supervision step failed');
        await this.deps.issues.setNextSupervision(issue.id, new Date(now.getTime() + 3_600_000));
      }
    }
    outcome.unassigned = await this.listUnassigned(directory, now);
    if (outcome.reminders + outcome.overdue + outcome.escalations + outcome.unassigned > 0)
      this.deps.logger.info(outcome, 'issue supervision sent');
    return outcome;
  }

  /**
   * 分办 is the office's own step: problems registered before today and still not assigned
   * are listed to the office once each working day, from the reminder hour. Returns how many.
   */
  private async listUnassigned(directory: Directory, now: Date): Promise<number> {
    const tz = this.deps.timeZone;
    const today = toLocal(now, tz);
    if (!workCalendar(directory).isWorkingDay(today) || today.hour < directory.reminders.hour) return 0;
    const key = messageKey('issuesUnassigned', { day: formatLocalDate(today) });
    const waiting = await this.deps.issues.list(
      { states: ['reported'], reportedBefore: fromLocal({ year: today.year, month: today.month, day: today.day }, tz) },
      UNASSIGNED_LISTED + 1,
    );
    if (waiting.length === 0) return 0;
    const lines = waiting.slice(0, UNASSIGNED_LISTED).map((issue) => {
      const water = directory.waterBodies.find((w) => w.id === issue.waterBodyId)?.name;
      return `${issue.number} ${water ? `${water}：` : ''}${issue.description}（${shortDate(issue.createdAt, this.deps.timeZone)}登记）`;
    });
    const more = waiting.length > UNASSIGNED_LISTED ? `\n……另有更多，请用 /问题 查看。` : '';
    await notify(this.deps.messenger, officeDestinations(directory), key, {
      kind: 'text',
      text: `以下问题登记已超过一天，尚未交办，请在问题卡片上点击“交办”：\n${lines.join('\n')}${more}`,
    });
    return waiting.length;
  }

  /**
   * The office's answer to a suggested 提示/通报: confirm it (as suggested or the other kind)
   * or dismiss it. Only office staff may; the first answer counts. Returns the updated card.
   */
  async decide(actorOpenId: string, noticeKey: string, outcome: 'prompt' | 'bulletin' | 'dismiss'): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const notice = await this.deps.issues.notice(noticeKey);
    if (!notice) throw new StaleError('该建议已不存在。');
    const issue = await this.deps.issues.get(notice.issueKey);
    if (!issue) throw new StaleError('该问题已不存在。');
    if (!inOffices(directory, person.id)) {
      throw new ForbiddenError('只有区河长制办公室可以确认提示或通报。');
    }
    if (notice.status !== 'suggested' || !(await this.deps.claims.claim(`notice:${noticeKey}`, person.id))) {
      throw new StaleError('该建议已被处理，卡片已刷新。');
    }
    const kind = outcome === 'dismiss' ? notice.suggest : outcome;
    await this.deps.issues.decideNotice(noticeKey, outcome === 'dismiss' ? 'dismissed' : 'confirmed', kind, person.id);
    this.deps.logger.info({ notice: noticeKey, outcome, by: person.id }, 'supervision notice decided');
    const decided = {
      ...notice,
      status: outcome === 'dismiss' ? 'dismissed' : 'confirmed',
      suggest: kind,
      decidedBy: person.id,
      decidedAt: this.deps.clock.now(),
    } as const;
    const card = this.deps.cards.escalation(this.escalationView(directory, issue, decided));
    const copies = officeDestinations(directory).map((d) =>
      messageKey('supervisionNotice', { noticeKey, place: d.place }),
    );
    await updateDeliveredCards(this.deps.messenger, copies, 'decided', card);
    // The confirmed 提示/通报 is recorded and its card reaches the unit (see SanctionService).
    if (outcome !== 'dismiss') await this.onConfirmed(notice, kind, person.id);
    return card;
  }

  /** A suggestion's card as it stands now. */
  async card(noticeKey: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const notice = await this.deps.issues.notice(noticeKey);
    const issue = notice ? await this.deps.issues.get(notice.issueKey) : undefined;
    if (!notice || !issue) throw new StaleError('该建议已不存在。');
    return this.deps.cards.escalation(this.escalationView(directory, issue, notice));
  }

  private async act(directory: Directory, issue: Issue, step: SupervisionStep, now: Date): Promise<void> {
    const tz = this.deps.timeZone;
    const deadline = issue.deadline!;
    const supervision = { issueId: issue.id, day: formatLocalDate(deadlineDay(deadline, tz)), step: step.name };
    const base = messageKey('issueSupervision', supervision);
    const assignee = directory.units.find((u) => u.id === issue.assigneeUnit);
    const unitPlaces = unitDestinations(directory, assignee);
    if (step.kind === 'escalate') {
      const noticeKey = `${issue.id}:${formatLocalDate(deadlineDay(deadline, tz))}:${step.suggest}`;
      const reason = `${issue.number}问题逾期${-daysToDeadline(deadline, now, tz)}天未整改到位`;
      await this.deps.issues.suggestNotice({
        key: noticeKey,
        issueKey: issue.id,
        unitId: issue.assigneeUnit ?? '',
        suggest: step.suggest,
        reason,
      });
      const notice = await this.deps.issues.notice(noticeKey);
      const card = this.deps.cards.escalation(this.escalationView(directory, issue, notice));
      for (const d of officeDestinations(directory))
        await this.deps.messenger.send(messageKey('supervisionNotice', { noticeKey, place: d.place }), d.to, {
          kind: 'card',
          card,
        });
      return;
    }
    const view = {
      kind: step.kind,
      id: issue.id,
      number: issue.number,
      description: issue.description,
      waterBodyName: directory.waterBodies.find((w) => w.id === issue.waterBodyId)?.name,
      assigneeName: assignee?.name ?? '',
      deadline: deadlineText(deadline, tz),
      deadlineStatus: deadlineStatus(deadline, now, tz),
      urgency: issue.urgency,
    };
    const places: Destination[] = [...unitPlaces];
    if (step.kind === 'overdue') {
      const chief = personDestination(directory, townshipChiefFor(directory, issue.waterBodyId, issue.assigneeUnit));
      if (chief) places.push(chief);
    }
    for (const d of places) {
      const card = this.deps.cards.supervision({ ...view, mentionOpenIds: [] });
      await this.deps.messenger.send(toPlace(base, d.place), d.to, { kind: 'card', card });
    }
    // 紧急: buzz the responsible people on the problem's card where they have it (urgent_app).
    // Feishu lets a card be acted on for 14 days only: a copy older than that first gets a
    // fresh card, and the buzz rings the fresh one.
    if (step.kind === 'overdue' && issue.urgency === 'urgent' && assignee) {
      const copies = unitPlaces.map((d) => ({
        d,
        copyKey: messageKey('issueCard', { issueId: issue.id, place: d.place }),
      }));
      await updateDeliveredCards(
        this.deps.messenger,
        copies.map((c) => c.copyKey),
        base,
        issueCardRenderer(this.deps.cards, directory, issue, { now: this.deps.clock.now(), timeZone: tz }),
      );
      for (const { d, copyKey } of copies) {
        const openIds =
          'openId' in d.to
            ? [d.to.openId]
            : assignee.members
                .map((m) => directory.people.find((p) => p.id === m)?.openId)
                .filter((o): o is string => !!o);
        await this.deps.messenger.urgentCopy(
          messageKey('issueSupervisionUrgent', { ...supervision, place: d.place }),
          copyKey,
          openIds,
        );
      }
    }
  }

  private escalationView(directory: Directory, issue: Issue, notice: SupervisionNoticeDoc | null): EscalationView {
    const tz = this.deps.timeZone;
    const deadline = issue.deadline ?? this.deps.clock.now();
    const suggest = notice?.suggest ?? 'prompt';
    return {
      noticeKey: notice?.key ?? '',
      issueId: issue.id,
      number: issue.number,
      description: issue.description,
      waterBodyName: directory.waterBodies.find((w) => w.id === issue.waterBodyId)?.name,
      assigneeName: unitName(directory, notice?.unitId ?? issue.assigneeUnit),
      deadline: deadlineText(deadline, tz),
      daysOverdue: Math.max(-daysToDeadline(deadline, notice?.createdAt ?? this.deps.clock.now(), tz), 0),
      suggest,
      decided:
        notice && notice.status !== 'suggested' && notice.decidedAt
          ? {
              outcome: notice.status === 'dismissed' ? 'dismiss' : notice.suggest,
              byName: personName(directory, notice.decidedBy ?? undefined),
              on: shortDate(notice.decidedAt, this.deps.timeZone),
            }
          : undefined,
    };
  }
}
