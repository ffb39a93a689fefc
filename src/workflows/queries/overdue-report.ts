import { dutiesInView, NOTHING_TO_SEE, sees, visibilityOf } from '../../domain/access/visibility.js';
import { APPROVAL_KIND_NAMES, CHAINS, STEP_NAMES } from '../../domain/approvals/chain.js';
import { inOffices, personName } from '../../domain/directory/directory.js';
import { countsAfterGoLive, goLiveDay } from '../../domain/directory/go-live.js';
import { unreachable, unreachableReason } from '../../domain/directory/reachability.js';
import { shortNumber } from '../../domain/issues/issue.js';
import { deadlineStatus } from '../../domain/issues/supervision.js';
import { workingDaysSince } from '../../domain/meetings/meeting-settings.js';
import { CHIEF_ROLE_NAMES } from '../../domain/patrols/obligation.js';
import { fullDate } from '../../domain/time/format.js';
import { periodContaining, periodLabel, previousPeriod } from '../../domain/time/period.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { ForbiddenError } from '../../errors.js';
import { isDecision } from '../../store/figures/problem-buckets.js';
import { overdueByUnit } from '../../store/figures/problem-overdue.js';
import type { IssueFilter } from '../../store/issue-store.js';
import { joinMarkdown, md } from '../markdown.js';
import type { CardJson } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import { dutyStanding } from './duty-standing.js';
import type { QueryDeps } from './query-service.js';
import type { ListView } from './views.js';

/** Problems listed per unit before “等” (the rest are counted). */
const PER_UNIT = 5;
const OVERDUE_LIMIT = 500;

/**
 * `/逾期`: everything overdue in the asker's view, grouped by who must act: chiefs whose last
 * period ended without their patrols, units with problems and decisions past their deadline,
 * approvers who have left drafts waiting.
 */
export async function overdueReport(deps: QueryDeps, actorOpenId: string): Promise<CardJson> {
  const directory = await requireDirectory(deps.directory);
  const person = requirePerson(directory, actorOpenId);
  const visibility = visibilityOf(directory, person.id);
  if (!visibility) throw new ForbiddenError(NOTHING_TO_SEE);
  const now = deps.clock.now();
  const tz = deps.timeZone;
  const name = (id: string) => personName(directory, id);
  const unitOf = (id: string | undefined) =>
    id ? (directory.units.find((u) => u.id === id)?.name ?? '未交办') : '未交办';
  const waterName = (id: string | undefined) => directory.waterBodies.find((w) => w.id === id)?.name ?? '';
  const rows: ListView['rows'] = [];

  // Patrols: duties whose last ended period had too few patrols.
  const duties = dutiesInView(directory, visibility, person.id);
  const standing = await dutyStanding(
    deps.patrols,
    duties,
    (o) => ({ over: previousPeriod(periodContaining(o.period, now, tz), tz), required: o.times }),
    visibility.district ? undefined : [...visibility.waterBodyIds],
  );
  // A period that ended before the district went live has no records to judge by.
  const goLive = goLiveDay(directory, tz);
  const missed = standing
    .filter((s) => s.done < s.required && countsAfterGoLive(s.over, goLive))
    .map(
      ({ duty: d, over, done, required }) =>
        `${CHIEF_ROLE_NAMES[d.role]} ${name(d.personId)}${d.waterBodyId ? `（${waterName(d.waterBodyId)}）` : ''}：${periodLabel(over, false)}巡河 ${done}/${required} 次`,
    );
  if (missed.length > 0)
    rows.push({
      text: md`**巡河未完成（上一周期）** ${missed.length} 项\n${joinMarkdown(missed.slice(0, 20))}${missed.length > 20 ? `\n等 ${missed.length} 项` : ''}`,
    });

  // Problems and decisions past their deadline, per responsible unit.
  // Found through the problem figures: only buckets holding an overdue deadline are read.
  const scope: IssueFilter['visibleTo'] = visibility.district
    ? undefined
    : { waterBodyIds: [...visibility.waterBodyIds], unitIds: [...visibility.unitIds] };
  // The counts come from the figures' deadlines, so they hold however many there are; the
  // problems named under them (soonest deadline first, up to OVERDUE_LIMIT) are records.
  const [late, open] = await Promise.all([
    deps.issues.overdue(scope, now, OVERDUE_LIMIT),
    deps.issues.figures.openInView(scope),
  ]);
  const counts = overdueByUnit(open, now);
  let lateCount = 0;
  for (const [title, decisions] of [
    ['问题逾期', false],
    ['议定事项逾期', true],
  ] as const) {
    const named = late.filter((i) => isDecision(i.source.kind) === decisions);
    const byUnit = [...counts.entries()]
      .map(([unit, c]) => [unit, decisions ? c.decisions : c.problems] as const)
      .filter(([, n]) => n > 0);
    // Most first; a tie in the order of their soonest deadline, as the list is sorted.
    const first = (unit: string) => {
      const at = named.findIndex((i) => (i.assigneeUnit ?? '') === unit);
      return at < 0 ? named.length : at;
    };
    for (const [unit, count] of byUnit.sort(([x, a], [y, b]) => b - a || first(x) - first(y))) {
      lateCount += count;
      const shown = joinMarkdown(
        named
          .filter((i) => (i.assigneeUnit ?? '') === unit)
          .slice(0, PER_UNIT)
          .map(
            (i) => `${shortNumber(i.seq)} ${i.description}（${i.deadline ? deadlineStatus(i.deadline, now, tz) : ''}）`,
          ),
      );
      rows.push({
        text: md`**${title} · ${unitOf(unit)}** ${count} 项\n${shown}${count > PER_UNIT ? `\n等 ${count} 项` : ''}`,
        button: { label: '查看', intent: { ask: 'issues', words: `${unitOf(unit)} 逾期` } },
      });
    }
  }

  // Drafts left with their approver past the reminder interval.
  const calendar = new WorkCalendar({
    holidays: directory.calendar.holidays,
    makeUpWorkdays: directory.calendar.makeUpWorkdays,
  });
  const waiting = (await deps.documents.pendingApproval()).filter(
    (d) =>
      !!d.submittedAt &&
      workingDaysSince(d.submittedAt, calendar, now, tz) >= directory.meetings.approvalRemindAfterDays &&
      sees(visibility, { waterBodyId: d.waterBodyId, units: [d.drafterUnit], people: [d.approverId] }, person.id),
  );
  for (const d of waiting) {
    const days = d.submittedAt ? workingDaysSince(d.submittedAt, calendar, now, tz) : 0;
    rows.push({
      text: md`**待审定 · ${name(d.approverId)}** 《${d.title}》，${d.submittedAt ? fullDate(d.submittedAt, tz) : ''}提交，已 ${days} 个工作日`,
      button: { label: '查看', intent: { view: 'document', id: d.id } },
    });
  }

  // The offices' own overdue work: approval-chain steps and 约谈 reviews (district viewers only).
  const chainSteps: string[] = [];
  const reviews: string[] = [];
  if (visibility.district) {
    for (const a of await deps.approvals.inProgress()) {
      const step = CHAINS[a.kind][a.position];
      const since = a.history.at(-1)?.at ?? a.createdAt;
      const days = workingDaysSince(since, calendar, now, tz);
      if (!step || days < directory.meetings.approvalRemindAfterDays) continue;
      chainSteps.push(a.id);
      rows.push({
        text: md`**待${STEP_NAMES[step]}** ${APPROVAL_KIND_NAMES[a.kind]}“${a.title}”，${fullDate(since, tz)}送达，已 ${days} 个工作日`,
        button: { label: '查看', intent: { view: 'approval', id: a.id } },
      });
    }
    for (const s of await deps.sanctions.reviewsDue(now)) {
      const a = s.admonition;
      if (!a?.reviewOn) continue;
      reviews.push(s.id);
      rows.push({
        text: md`**约谈待复核 · ${unitOf(s.unitId)}** ${a.interviewee}，应于${fullDate(a.reviewOn, tz)}复核：${a.commitments ?? ''}`,
        button: { label: '查看', intent: { view: 'sanction', id: s.id } },
      });
    }
  }

  // Units and water bodies nothing reaches: the office's to fix in the directory (issue 15).
  const unreached = inOffices(directory, person.id) ? unreachable(directory) : { units: [], waterBodies: [] };
  const unreachedCount = unreached.units.length + unreached.waterBodies.length;
  if (unreachedCount > 0) {
    const lines = [
      ...unreached.units.map((u) => `${u.name}：${unreachableReason(u)}，不能交办`),
      ...unreached.waterBodies.map((w) => `${w.name}：没有群聊，河湖长也都没有飞书账号，提醒无人收到`),
    ];
    rows.push({
      text: md`**名录待补全 · 无法送达** ${unreachedCount} 个单位或河湖\n${joinMarkdown(lines)}\n请在组织名录中填写成员或群聊 ID 后重新导入。`,
    });
  }

  const total = missed.length + lateCount + waiting.length + chainSteps.length + reviews.length + unreachedCount;
  return deps.cards.list({
    title: '逾期事项',
    subtitle: `截至${fullDate(now, tz)}`,
    color: total > 0 ? 'red' : 'blue',
    summary:
      total === 0
        ? '没有逾期事项。'
        : md`巡河未完成 **${missed.length}** 项，问题和议定事项逾期 **${lateCount}** 项，纪要和文件待审定超期 **${waiting.length}** 份${chainSteps.length + reviews.length > 0 ? md`，考核表彰待办超期 **${chainSteps.length}** 项，约谈待复核 **${reviews.length}** 项` : ''}${unreachedCount > 0 ? md`，名录中无法送达的单位或河湖 **${unreachedCount}** 个` : ''}。`,
    rows,
    footer: '逾期清单只发给查询人；督办提醒由机器人在工作日按期发出。',
  });
}
