import { dutiesInView, NOTHING_TO_SEE, sees, type Visibility, visibilityOf } from '../../domain/access/visibility.js';
import type { Clock } from '../../domain/clock.js';
import type { ChiefDuty, Directory } from '../../domain/directory/directory.js';
import { countsAfterGoLive, goLiveDay, goLiveNote } from '../../domain/directory/go-live.js';
import { CHIEF_ROLE_NAMES, CHIEF_ROLES, type PatrolObligation } from '../../domain/patrols/obligation.js';
import { fullDate, meetingTime } from '../../domain/time/format.js';
import { type Period, periodContaining, periodLabel, periodOf, periodsOfYear } from '../../domain/time/period.js';
import type { LocalDate } from '../../domain/time/zoned.js';
import { ForbiddenError } from '../../errors.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import { countFulfilledByLevels, type PatrolFigureSource } from '../../store/figures/patrol-figures.js';
import type { IssueFilter, IssueStore } from '../../store/issue-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import type { CardJson } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import type { StatusCardPresenter, StatusView } from './views.js';

export interface StatusDeps {
  directory: DirectoryStore;
  patrols: PatrolStore;
  issues: IssueStore;
  meetings: MeetingStore;
  documents: DocumentStore;
  cards: StatusCardPresenter;
  clock: Clock;
  timeZone: string;
  /** The patrol read model: fulfilment per level is read from it when given (else aggregated from patrols). */
  patrolFigures?: PatrolFigureSource;
  /** Failed outbox messages, counted for the office's /状态. */
  undelivered?: { failedSince(since: Date): Promise<number> };
}

const WEEK_MS = 7 * 86_400_000;

/**
 * `/状态`: the district (or the asker's part of it) at a glance: this period's and this
 * year's patrol duty fulfilment by level, problems, decisions, approvals and meetings, with
 * charts. Everything is counted by the database; nothing is loaded whole.
 */
export class StatusService {
  constructor(private readonly deps: StatusDeps) {}

  async card(actorOpenId: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const visibility = visibilityOf(directory, person.id);
    if (!visibility) throw new ForbiddenError(NOTHING_TO_SEE);
    const view = await this.view(directory, visibility, person.id);
    // Those who see the whole district are told when the bot could not reach people (the
    // daily 未送达 card names whom and why).
    if (visibility.district && this.deps.undelivered) {
      view.undelivered = await this.deps.undelivered.failedSince(new Date(this.deps.clock.now().getTime() - WEEK_MS));
    }
    return this.deps.cards.status(view);
  }

  /**
   * The figures now, or, for a month that has ended (`ofMonth`, the monthly digest), as they
   * stood at its end: that month's patrols and problems, its year up to it. Problems open and
   * overdue, approvals and meetings are always as they are now. Duty periods that ended
   * before the go-live day are not counted (启用日期).
   */
  async view(directory: Directory, visibility: Visibility, personId: string, ofMonth?: Period): Promise<StatusView> {
    const now = this.deps.clock.now();
    const tz = this.deps.timeZone;
    const at = ofMonth ? new Date(ofMonth.end.getTime() - 1) : now;
    const waters = visibility.district ? undefined : [...visibility.waterBodyIds];
    const scope: IssueFilter = visibility.district
      ? {}
      : { visibleTo: { waterBodyIds: [...visibility.waterBodyIds], unitIds: [...visibility.unitIds] } };
    const month = periodContaining('month', at, tz);
    const year = periodContaining('year', at, tz);
    const goLive = goLiveDay(directory, tz);

    const monthsSoFar = periodsOfYear('month', year.year, tz).filter((m) => m.index <= month.index);
    const [patrols, counts, approvals, meetings] = await Promise.all([
      this.patrolFulfilment(directory, visibility, personId, waters, at, !ofMonth, goLive),
      this.deps.issues.statusCounts(
        scope.visibleTo,
        now,
        monthsSoFar.map((m) => m.key),
        new Date(now.getTime() + WEEK_MS),
      ),
      this.deps.documents.pendingApproval(),
      this.deps.meetings.startingBetween(now, new Date(now.getTime() + 30 * 86_400_000)),
    ]);
    const townships = new Map(directory.units.filter((u) => u.kind === 'township').map((u) => [u.id, u.name]));
    // Ties keep the directory's order, so the chart reads the same every time.
    const order = [...townships.keys()];
    return {
      scope: visibility.district ? '全区' : this.scopeName(directory, visibility),
      asOf: fullDate(at, tz),
      monthName: ofMonth ? `${month.index}月` : '本月',
      yearName: ofMonth ? `${year.year}年` : '本年',
      goLiveNote: goLiveNote(goLive, year.firstDay),
      patrols: patrols.rows,
      issues: {
        open: counts.open,
        overdue: counts.overdue,
        openedThisMonth: counts.openedByMonth.get(month.key) ?? 0,
        closedThisMonth: counts.closedByMonth.get(month.key) ?? 0,
        awaitingAssignment: counts.awaitingAssignment,
      },
      decisions: {
        open: counts.decisionsOpen,
        overdue: counts.decisionsOverdue,
        dueWithinWeek: counts.decisionsDueSoon,
      },
      approvalsWaiting: approvals.filter((d) =>
        sees(visibility, { waterBodyId: d.waterBodyId, units: [d.drafterUnit], people: [d.approverId] }, personId),
      ).length,
      meetings: meetings
        .filter((m) =>
          sees(visibility, { waterBodyId: m.waterBodyId, units: [m.organiserUnit], people: m.participants }, personId),
        )
        .slice(0, 3)
        .map((m) => ({ when: meetingTime(m.startsAt, tz), title: m.title })),
      charts: {
        patrolRates: patrols.rates,
        issuesByMonth: monthsSoFar.flatMap((m) => [
          { month: `${m.index}月`, kind: '新增' as const, count: counts.openedByMonth.get(m.key) ?? 0 },
          { month: `${m.index}月`, kind: '销号' as const, count: counts.closedByMonth.get(m.key) ?? 0 },
        ]),
        openByTownship: [...counts.openByUnit.entries()]
          .filter(([id]) => townships.has(id))
          .sort(([x, a], [y, b]) => b - a || order.indexOf(x) - order.indexOf(y))
          .slice(0, 12)
          .flatMap(([id, open]) => [
            {
              township: townships.get(id) ?? id,
              kind: '在办' as const,
              count: open - (counts.overdueByUnit.get(id) ?? 0),
            },
            { township: townships.get(id) ?? id, kind: '逾期' as const, count: counts.overdueByUnit.get(id) ?? 0 },
          ]),
      },
    };
  }

  /** Duties in view, per role: counted from the directory; fulfilment counted by the database. */
  private async patrolFulfilment(
    directory: Directory,
    visibility: Visibility,
    personId: string,
    waters: string[] | undefined,
    at: Date,
    current: boolean,
    goLive: LocalDate | undefined,
  ) {
    const tz = this.deps.timeZone;
    const year = periodContaining('year', at, tz);
    const duties = dutiesInView(directory, visibility, personId);
    const rows: StatusView['patrols'] = [];
    const rates: StatusView['charts']['patrolRates'] = [];
    const levels = CHIEF_ROLES.map((role) => ({ role, ofRole: duties.filter((d) => d.role === role) })).filter(
      (l) => l.ofRole.length > 0,
    );
    const figures = this.deps.patrolFigures;
    // From the read model: every level from the rollups at once (one document per water body;
    // the general chief's level is never narrowed to the asker's water bodies).
    const fromFigures = figures
      ? await countFulfilledByLevels(
          figures,
          levels.map(({ role, ofRole }) => {
            const obligation = this.obligationOf(ofRole);
            return { role, periods: periodsOfYear(obligation.period, year.year, tz), times: obligation.times };
          }),
          year.year,
          waters,
        )
      : undefined;
    // Without the read model, one aggregation per level, run together: FerretDB groups slowly
    // when a pass has many groups, so per-level passes (fewer groups each) in parallel beat one.
    const counted = fromFigures
      ? levels.map(({ role }) => fromFigures.get(role) ?? new Map<string, number>())
      : await Promise.all(
          levels.map(({ role, ofRole }) => {
            const obligation = this.obligationOf(ofRole);
            return this.deps.patrols.fulfilledByPeriod(
              role,
              obligation.period,
              String(year.year),
              obligation.times,
              role === 'generalChief' ? undefined : waters,
            );
          }),
        );
    levels.forEach(({ role, ofRole }, i) => {
      const obligation = this.obligationOf(ofRole);
      const fulfilled = counted[i] ?? new Map<string, number>();
      const period = periodContaining(obligation.period, at, tz);
      const elapsed = periodsOfYear(obligation.period, year.year, tz).filter(
        (p) => p.index <= period.index && countsAfterGoLive(p, goLive),
      );
      rows.push({
        roleName: CHIEF_ROLE_NAMES[role],
        periodName: periodLabel(period, current),
        fulfilled: fulfilled.get(period.key) ?? 0,
        required: ofRole.length,
        yearFulfilled: elapsed.reduce((sum, p) => sum + (fulfilled.get(p.key) ?? 0), 0),
        yearRequired: ofRole.length * elapsed.length,
      });
      for (let m = 1; m <= periodContaining('month', at, tz).index; m++) {
        const monthPeriod = periodOf('month', year.year, m, tz);
        // The chart starts with the go-live month: earlier months had no records to show.
        if (!countsAfterGoLive(monthPeriod, goLive)) continue;
        const p = periodContaining(obligation.period, monthPeriod.start, tz);
        rates.push({
          month: `${m}月`,
          level: CHIEF_ROLE_NAMES[role],
          rate: Math.round(((fulfilled.get(p.key) ?? 0) / ofRole.length) * 100),
        });
      }
    });
    return { rows, rates };
  }

  private obligationOf(duties: ChiefDuty[]): PatrolObligation {
    return duties[0]?.obligation ?? { period: 'month', times: 1 };
  }

  private scopeName(directory: Directory, visibility: Visibility): string {
    const names = directory.waterBodies.filter((w) => visibility.waterBodyIds.has(w.id)).map((w) => w.name);
    const units = directory.units.filter((u) => visibility.unitIds.has(u.id)).map((u) => u.name);
    return [...names, ...units].slice(0, 3).join('、') + (names.length + units.length > 3 ? '等' : '');
  }
}
