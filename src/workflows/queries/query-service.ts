import {
  type Audience,
  audiencesOf,
  dutiesInView,
  NOTHING_TO_SEE,
  sees,
  type Visibility,
  visibilityOf,
} from '../../domain/access/visibility.js';
import type { Clock } from '../../domain/clock.js';
import { type Directory, type Person, personName } from '../../domain/directory/directory.js';
import { goLiveDay } from '../../domain/directory/go-live.js';
import type { OfficialDocument } from '../../domain/documents/document.js';
import { assignableUnits } from '../../domain/issues/involvement.js';
import { type Issue, shortNumber } from '../../domain/issues/issue.js';
import { ISSUE_STATES, STATE_NAMES } from '../../domain/issues/lifecycle.js';
import { deadlineStatus } from '../../domain/issues/supervision.js';
import { isUpcoming, MEETING_KIND_NAMES } from '../../domain/meetings/meeting.js';
import { CHIEF_ROLE_NAMES, owedOver } from '../../domain/patrols/obligation.js';
import { matchName, type Named, type StateWord, stateWord } from '../../domain/queries/arguments.js';
import { parsePeriodWord } from '../../domain/queries/period-words.js';
import { fullDate, meetingTime, monthDay } from '../../domain/time/format.js';
import { periodContaining, periodLabel } from '../../domain/time/period.js';
import { ForbiddenError, UserInputError } from '../../errors.js';
import type { Ledger } from '../../export/ledger-xlsx.js';
import type { ApprovalStore } from '../../store/approval-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { IssueFilter, IssueStore } from '../../store/issue-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';
import type { PatrolStore } from '../../store/patrol-store.js';
import type { SanctionStore } from '../../store/sanction-store.js';
import { deadlineText } from '../documents/layouts.js';
import type { Intent } from '../intents.js';
import { md } from '../markdown.js';
import type { CardJson, OutgoingFile } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import { dutyStanding } from './duty-standing.js';
import { decisionLedger, issueLedger, LEDGER_NAMES, type LedgerKind, patrolLedger } from './ledger-rows.js';
import { overdueReport } from './overdue-report.js';
import type { ListCardPresenter, ListView } from './views.js';

export interface QueryDeps {
  directory: DirectoryStore;
  issues: IssueStore;
  patrols: PatrolStore;
  /** Writes a ledger as an .xlsx file. */
  renderLedger: (ledger: Ledger) => Promise<Buffer>;
  meetings: MeetingStore;
  documents: DocumentStore;
  /** Assessments, commendations and incentive plans on their approval chain. */
  approvals: ApprovalStore;
  /** 约谈 waiting for their 复核. */
  sanctions: SanctionStore;
  cards: ListCardPresenter;
  clock: Clock;
  timeZone: string;
}

/** Rows shown in one card; the rest are counted and the person is told to narrow down. */
const ROWS = 20;
/** Rows in one exported ledger; a larger export is asked to narrow its range. */
const LEDGER_ROWS = 10_000;
/** How far ahead /会议 looks. */
const MEETINGS_AHEAD_DAYS = 60;

/**
 * The office's questions answered in Feishu (/问题 lists, /议定, /会议): each answer shows
 * only what the asking person may see (domain/access/visibility).
 */
export class QueryService {
  constructor(private readonly deps: QueryDeps) {}

  /** `/问题 [河湖|单位] [状态]`: problems in view, soonest deadline first. */
  async issues(actorOpenId: string, args: string): Promise<CardJson> {
    const { directory, visibility } = await this.asker(actorOpenId);
    const filter: IssueFilter = {};
    const labels: string[] = [];
    let state: StateWord | undefined;
    const terms = args.split(/\s+/).filter(Boolean);
    for (const [index, term] of terms.entries()) {
      const words = stateWord(term);
      if (words) {
        state = words;
        continue;
      }
      const place = this.place(directory, term, (item) => ({
        ask: 'issues',
        words: [item.name, ...terms.filter((_, k) => k !== index)].join(' '),
      }));
      if ('card' in place) return place.card;
      if (place.kind === 'water') filter.waterBodyId = place.id;
      else filter.assigneeUnit = place.id;
      labels.push(place.name);
      if (
        !visibility.district &&
        !(place.kind === 'water' ? visibility.waterBodyIds.has(place.id) : visibility.unitIds.has(place.id))
      ) {
        throw new ForbiddenError(`您无权查看${place.name}的问题。如需了解，请联系区河长制办公室。`);
      }
    }
    if (state) {
      filter.states = state.states;
      if (state.overdue) filter.overdueAt = this.deps.clock.now();
      labels.push(state.label);
    }
    this.limit(filter, visibility);
    return this.issueList(directory, filter, {
      title: '问题清单',
      subtitle: labels.length > 0 ? labels.join(' · ') : '未销号问题',
      empty: '没有符合条件的问题。',
      hint: '可按河湖、单位、状态查询，例如：/问题 大渡河 逾期、/问题 永和镇 整改中、/问题 0042。',
    });
  }

  /** `/议定`: decisions and list tasks not yet closed, soonest deadline first. */
  async decisions(actorOpenId: string): Promise<CardJson> {
    const { directory, visibility } = await this.asker(actorOpenId);
    const filter: IssueFilter = { sourceKinds: ['decision', 'task'] };
    this.limit(filter, visibility);
    return this.issueList(directory, filter, {
      title: '议定事项',
      subtitle: '未办结的会议议定事项与清单任务',
      empty: '没有未办结的议定事项。',
      hint: '记录议定事项：在会议卡片话题中回复“议定：…”，或发送 /议定 内容。',
    });
  }

  /** `/会议`: meetings in the next 60 days, and minutes waiting for approval. */
  async meetings(actorOpenId: string): Promise<CardJson> {
    const { directory, person, visibility } = await this.asker(actorOpenId);
    const now = this.deps.clock.now();
    const scheduled = (
      await this.deps.meetings.startingBetween(now, new Date(now.getTime() + MEETINGS_AHEAD_DAYS * 86_400_000))
    ).filter((m) =>
      sees(visibility, { waterBodyId: m.waterBodyId, units: [m.organiserUnit], people: m.participants }, person.id),
    );
    const upcoming: typeof scheduled = [];
    for (const m of scheduled) if (isUpcoming(m, await this.deps.documents.get(m.minutesId), now)) upcoming.push(m);
    const waiting = (await this.deps.documents.pendingApproval()).filter((d) =>
      sees(visibility, { waterBodyId: d.waterBodyId, units: [d.drafterUnit], people: [d.approverId] }, person.id),
    );
    const water = (id: string | undefined) => directory.waterBodies.find((w) => w.id === id)?.name;
    const name = (id: string) => directory.people.find((p) => p.id === id)?.name ?? id;
    const rows: ListView['rows'] = [
      ...upcoming.slice(0, ROWS).map((m) => ({
        text: md`**${meetingTime(m.startsAt, this.deps.timeZone)}** ${m.title}\n<font color='grey'>${MEETING_KIND_NAMES[m.kind]}${water(m.waterBodyId) ? ` · ${water(m.waterBodyId)}` : ''} · ${m.place}</font>`,
        button: { label: '查看', intent: { view: 'document' as const, id: m.minutesId } },
      })),
      ...waiting.slice(0, ROWS).map((d) => ({
        text: md`**待审定** ${d.title}\n<font color='grey'>审定人：${name(d.approverId)}${d.submittedAt ? ` · ${fullDate(d.submittedAt, this.deps.timeZone)}提交` : ''}</font>`,
        button: { label: '查看', intent: { view: 'document' as const, id: d.id } },
      })),
    ];
    return this.deps.cards.list({
      title: '会议',
      subtitle: `未来${MEETINGS_AHEAD_DAYS}天`,
      color: 'blue',
      summary: md`即将召开 **${upcoming.length}** 个会议，待审定纪要和文件 **${waiting.length}** 份。`,
      rows,
      footer: '安排会议：/安排会议；记录议定事项：/议定 内容。',
    });
  }

  /**
   * `/导出 [台账] [范围] [河湖|单位]`: 巡河台账, 问题台账 or 议定事项台账 for a period (this year
   * by default), as an .xlsx in the layout offices use; only what the person may see.
   */
  async exportLedger(
    actorOpenId: string,
    args: string,
  ): Promise<{ file: OutgoingFile; summary: string } | { choices: CardJson }> {
    const { directory, person, visibility } = await this.asker(actorOpenId);
    const now = this.deps.clock.now();
    let kind: LedgerKind = 'issues';
    let period = periodContaining('year', now, this.deps.timeZone);
    let place: { kind: 'water' | 'unit'; id: string; name: string } | undefined;
    const terms = args.split(/\s+/).filter(Boolean);
    for (const term of terms) {
      const ledger = /^(巡河|问题|议定|议定事项|决定事项)(台账)?$/.exec(term)?.[1];
      if (ledger) {
        kind = ledger === '巡河' ? 'patrols' : ledger === '问题' ? 'issues' : 'decisions';
        continue;
      }
      const named = parsePeriodWord(term, now, this.deps.timeZone);
      if (named) {
        period = named;
        continue;
      }
      // An ambiguous name: a choice card whose buttons export with the name chosen.
      const found = this.place(directory, term, (item) => ({
        ask: 'export',
        words: terms.map((t) => (t === term ? item.name : t)).join(' '),
      }));
      if ('card' in found) return { choices: found.card };
      if (
        !visibility.district &&
        !(found.kind === 'water' ? visibility.waterBodyIds.has(found.id) : visibility.unitIds.has(found.id))
      ) {
        throw new ForbiddenError(`您无权导出${found.name}的台账。如需了解，请联系区河长制办公室。`);
      }
      place = found;
    }
    const range = periodLabel(period, false);
    const title = `${directory.district}${place ? place.name : ''}${range}${LEDGER_NAMES[kind]}`;
    const tz = this.deps.timeZone;
    let ledger: Ledger;
    if (kind === 'patrols') {
      if (place?.kind === 'unit') throw new UserInputError('巡河台账按河湖导出，例如：/导出 巡河台账 本月 大渡河');
      const scope = place
        ? { waterBodyIds: [place.id] }
        : visibility.district
          ? {}
          : { waterBodyIds: [...visibility.waterBodyIds], chiefIds: [person.id] };
      ledger = patrolLedger(
        directory,
        title,
        await this.deps.patrols.recordedBetween(period.start, period.end, scope, LEDGER_ROWS),
        tz,
      );
    } else {
      const filter: IssueFilter = { states: ISSUE_STATES, reportedFrom: period.start, reportedBefore: period.end };
      if (kind === 'decisions') filter.sourceKinds = ['decision', 'task'];
      if (place?.kind === 'water') filter.waterBodyId = place.id;
      if (place?.kind === 'unit') filter.assigneeUnit = place.id;
      this.limit(filter, visibility);
      const issues = await this.deps.issues.list(filter, LEDGER_ROWS);
      if (kind === 'issues') ledger = issueLedger(directory, title, issues, tz);
      else {
        const ids = [
          ...new Set(
            issues.map((i) => /^doc:([^#]+)#/.exec(i.source.ref ?? '')?.[1]).filter((id): id is string => !!id),
          ),
        ];
        const docs = new Map<string, OfficialDocument>();
        for (const id of ids) {
          const doc = await this.deps.documents.get(id);
          if (doc) docs.set(id, doc);
        }
        ledger = decisionLedger(directory, title, issues, docs, tz);
      }
    }
    const data = await this.deps.renderLedger(ledger);
    const more = ledger.rows.length >= LEDGER_ROWS ? `（已达 ${LEDGER_ROWS} 条上限，请缩小范围）` : '';
    return {
      file: { kind: 'file', fileName: `${title}.xlsx`, fileType: 'xls', data },
      summary: `已导出${title}，共 ${ledger.rows.length} 条${more}。`,
    };
  }

  /**
   * `/巡河 [名字|河湖] [月份|季度|年份]`: who has and has not patrolled in a period (this month
   * by default), per duty in the asker's view, unmet duties first.
   */
  async patrols(actorOpenId: string, args: string): Promise<CardJson> {
    const { directory, person, visibility } = await this.asker(actorOpenId);
    const now = this.deps.clock.now();
    const tz = this.deps.timeZone;
    let period = periodContaining('month', now, tz);
    let duties = dutiesInView(directory, visibility, person.id);
    const labels: string[] = [];
    const terms = args.split(/\s+/).filter(Boolean);
    for (const [index, term] of terms.entries()) {
      const named = parsePeriodWord(term, now, tz);
      if (named) {
        period = named;
        continue;
      }
      const chiefs = directory.people
        .filter((p) => duties.some((d) => d.personId === p.id))
        .map((p) => ({ id: p.id, name: p.name, kind: 'person' as const }));
      const waters = directory.waterBodies.map((w) => ({ id: w.id, name: w.name, kind: 'water' as const }));
      const match = matchName(term, [...waters, ...chiefs]);
      if (match.kind === 'suggest') throw new UserInputError(`没有找到“${term}”。您是不是要找“${match.item.name}”？`);
      if (match.kind === 'several') {
        const rest = terms.filter((_, k) => k !== index);
        return this.choices(term, match.items, (item) => ({ ask: 'patrols', words: [item.name, ...rest].join(' ') }));
      }
      if (match.kind === 'none') throw new UserInputError(`没有找到河湖或河湖长“${term}”。`);
      const item = match.item;
      duties = duties.filter((d) => (item.kind === 'water' ? d.waterBodyId === item.id : d.personId === item.id));
      if (duties.length === 0)
        throw new ForbiddenError(`您无权查看${item.name}的巡河情况。如需了解，请联系区河长制办公室。`);
      labels.push(item.name);
    }
    // A duty is counted over the asked period, or over its own longer period containing it (a quarter's duty in a month);
    // nothing is owed for periods that ended before the district went live.
    const goLive = goLiveDay(directory, tz);
    const standing = await dutyStanding(
      this.deps.patrols,
      duties,
      (o) => owedOver(o, period, tz, goLive),
      visibility.district ? undefined : [...visibility.waterBodyIds],
    );
    const owed = standing.filter((s) => s.required > 0);
    if (standing.length > 0 && owed.length === 0) {
      return this.deps.cards.list({
        title: '巡河情况',
        subtitle: [...labels, periodLabel(period, false)].join(' · '),
        color: 'blue',
        summary: md`${periodLabel(period, false)}在启用日（${goLive ? monthDay(goLive) : ''}）之前，不计巡河职责。`,
        rows: [],
        footer: '可按河湖、河湖长和时间查询，例如：/巡河 大渡河 上季度、/巡河 李某某 2026年。记录本人巡河：/巡河。',
      });
    }
    const rows = owed.map(({ duty: d, over, done, required }) => {
      const water = directory.waterBodies.find((w) => w.id === d.waterBodyId)?.name ?? '全区';
      const met = done >= required;
      return {
        met,
        text: `${met ? '✅' : '❌'} ${water} · ${CHIEF_ROLE_NAMES[d.role]} ${personName(directory, d.personId)}：${done}/${required} 次${over.key !== period.key ? `（${periodLabel(over, false)}）` : ''}`,
      };
    });
    rows.sort((a, b) => Number(a.met) - Number(b.met));
    const met = rows.filter((r) => r.met).length;
    return this.deps.cards.list({
      title: '巡河情况',
      subtitle: [...labels, periodLabel(period, false)].join(' · '),
      color: met < rows.length ? 'orange' : 'blue',
      summary:
        rows.length === 0
          ? '范围内没有巡河职责。'
          : md`已完成 **${met}** / ${rows.length} 项巡河职责${rows.length > ROWS * 2 ? `，未完成的排在前面，显示前 ${ROWS * 2} 项` : ''}。`,
      rows: rows.slice(0, ROWS * 2).map((r) => ({ text: r.text })),
      footer: '可按河湖、河湖长和时间查询，例如：/巡河 大渡河 上季度、/巡河 李某某 2026年。记录本人巡河：/巡河。',
    });
  }

  /** Who the person is to the mechanism (for /帮助); nobody before the directory is imported. */
  async audiences(actorOpenId: string): Promise<ReadonlySet<Audience>> {
    const directory = await this.deps.directory.loadDirectory();
    const person = directory?.people.find((p) => p.openId === actorOpenId);
    return directory && person ? audiencesOf(directory, person.id) : new Set();
  }

  /** `/逾期`: see overdue-report. */
  overdue(actorOpenId: string): Promise<CardJson> {
    return overdueReport(this.deps, actorOpenId);
  }

  /** The choice card for a name that fits several: each button runs the query with one of them. */
  private choices(term: string, items: Named[], choose: (item: Named) => Intent): CardJson {
    return this.deps.cards.list({
      title: `“${term}”对应多个`,
      subtitle: '请选择',
      color: 'orange',
      summary: '请点选要查询的一个：',
      rows: items.slice(0, ROWS).map((item) => ({ text: item.name, button: { label: '选择', intent: choose(item) } })),
    });
  }

  private async asker(actorOpenId: string): Promise<{ directory: Directory; person: Person; visibility: Visibility }> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const visibility = visibilityOf(directory, person.id);
    if (!visibility) throw new ForbiddenError(NOTHING_TO_SEE);
    return { directory, person, visibility };
  }

  /** Narrows a filter to what the person may see. */
  private limit(filter: IssueFilter, visibility: Visibility): void {
    if (!visibility.district)
      filter.visibleTo = { waterBodyIds: [...visibility.waterBodyIds], unitIds: [...visibility.unitIds] };
  }

  /**
   * A water body or unit named in a command, or the answer to give instead: the choices when
   * the name is ambiguous, “您是不是要找 …” for a typo.
   */
  private place(
    directory: Directory,
    term: string,
    choose: (item: Named) => Intent,
  ): { kind: 'water' | 'unit'; id: string; name: string } | { card: CardJson } {
    const waters = directory.waterBodies.map((w) => ({ id: w.id, name: w.name, kind: 'water' as const }));
    const units = assignableUnits(directory).map((u) => ({ id: u.id, name: u.name, kind: 'unit' as const }));
    const match = matchName(term, [...waters, ...units]);
    switch (match.kind) {
      case 'one':
        return match.item;
      case 'several':
        return { card: this.choices(term, match.items, choose) };
      case 'suggest':
        throw new UserInputError(`没有找到“${term}”。您是不是要找“${match.item.name}”？`);
      case 'none':
        throw new UserInputError(`没有找到河湖或单位“${term}”。可以写河湖名、乡镇名或部门名，例如：/问题 大渡河 逾期`);
    }
  }

  private async issueList(
    directory: Directory,
    filter: IssueFilter,
    text: { title: string; subtitle: string; empty: string; hint: string },
  ): Promise<CardJson> {
    const now = this.deps.clock.now();
    // The counts come from the problem figures wherever they can answer (see listCounts).
    const [items, { total, overdue }] = await Promise.all([
      this.deps.issues.list(filter, ROWS, 'deadline'),
      this.deps.issues.listCounts(filter, now),
    ]);
    const unit = (id: string | undefined) => directory.units.find((u) => u.id === id)?.name ?? '';
    const water = (id: string | undefined) => directory.waterBodies.find((w) => w.id === id)?.name ?? '';
    const row = (i: Issue) => {
      const late =
        !!i.deadline && i.deadline.getTime() <= now.getTime() && (i.state === 'assigned' || i.state === 'rectifying');
      const status = deadlineStatus(i.deadline ?? now, now, this.deps.timeZone);
      const due =
        i.deadline && i.state !== 'closed'
          ? md` · ${deadlineText(i.deadline, this.deps.timeZone)}（${late ? md`<font color='red'>${status}</font>` : status}）`
          : '';
      return {
        text: md`**${shortNumber(i.seq)}** ${i.description}\n<font color='grey'>${STATE_NAMES[i.state]}${water(i.waterBodyId) ? ` · ${water(i.waterBodyId)}` : ''}${i.assigneeUnit ? ` · ${unit(i.assigneeUnit)}` : ''}</font>${due}`,
        button: { label: '查看', intent: { view: 'issue' as const, id: i.id } },
      };
    };
    return this.deps.cards.list({
      title: text.title,
      subtitle: text.subtitle,
      color: overdue > 0 ? 'red' : 'blue',
      summary:
        total === 0
          ? text.empty
          : md`共 **${total}** 条${overdue > 0 ? md`，其中逾期 **${overdue}** 条` : ''}${total > ROWS ? `，按期限先后显示前 ${ROWS} 条` : ''}。`,
      rows: items.map(row),
      footer: text.hint,
    });
  }
}
