import { ISSUE_CATEGORIES, URGENCY_NAMES } from '../../domain/issues/issue.js';
import { STATE_NAMES } from '../../domain/issues/lifecycle.js';
import type {
  ClosingReportView,
  EscalationView,
  IssueActionType,
  IssueCardPresenter,
  IssueFormView,
  IssueView,
  RegisterFormView,
  SupervisionView,
  WithdrawnPatrolProblemsView,
} from '../../workflows/issues/views.js';
import { joinMarkdown, type Markdown, md, mention } from '../../workflows/markdown.js';
import type { CardJson } from '../../workflows/ports.js';
import { ISSUE_STEPS, type IssueStep, issueButtons } from './buttons/issue-buttons.js';
import { capped, clip, latest } from './limits.js';
import { renderCard } from './template.js';

/**
 * Button label and style of every action: the problem card's steps as the catalogue declares
 * them, and the two that are only on the card listing a withdrawn patrol's problems to its
 * recorder (withdrawnPatrolProblemsCard). A step missing from ISSUE_STEPS does not compile here.
 */
const ACTIONS: Record<IssueActionType, { label: string; style: 'primary' | 'default' | 'danger' }> = {
  ...ISSUE_STEPS,
  withdraw: { label: '撤销', style: 'danger' },
  confirm: { label: '保留', style: 'primary' },
};

const isStep = (type: IssueActionType): type is IssueStep => type in ISSUE_STEPS;

/** The step a problem card's button or form takes; 撤销 and 保留 are never offered there (lifecycle.ts). */
function stepOf(type: IssueActionType): IssueStep {
  if (!isStep(type)) throw new TypeError(`${type} is not a step of the problem card`);
  return type;
}

/** Steps on a problem card: those with a form open it first, the rest are taken at once. */
function stepButton(view: Pick<IssueView, 'id' | 'version'>, type: IssueActionType) {
  const value = { id: view.id, v: view.version, t: stepOf(type) };
  return ISSUE_STEPS[value.t].form ? issueButtons.form.value(value) : issueButtons.act.value(value);
}

const STATE_COLORS = {
  reported: 'blue',
  assigned: 'orange',
  rectifying: 'orange',
  pendingVerification: 'purple',
  closed: 'green',
  withdrawn: 'grey',
} as const;

const mentions = (openIds: string[]) => joinMarkdown(openIds.map(mention), ' ');

function facts(
  view: Pick<IssueView, 'waterBodyName' | 'townshipName' | 'place' | 'description'> & Partial<IssueView>,
): Markdown {
  const where = [view.waterBodyName, view.townshipName, view.place].filter(Boolean).join(' · ');
  return joinMarkdown([
    md`**问题**：${view.description}`,
    where && md`**位置**：${where}`,
    !!view.category &&
      md`**类别**：${view.category} · **紧急程度**：${view.urgency ? URGENCY_NAMES[view.urgency] : ''}`,
    !!view.sourceName && md`**来源**：${view.sourceName}（${view.foundByName}，${view.foundOn}）`,
    !!view.photos && md`**照片**：${view.photos} 张`,
  ]);
}

/** What a problem's card holds at most (30 KB, 200 components); /问题 编号 and /导出 have the rest. */
const LATEST_PROGRESS = 5;
const LATEST_HISTORY = 10;
const NOTE_CHARS = 200;
const HISTORY_CHARS = 120;

/** The latest entries of a chronological list, each cut, after a line saying how many earlier ones there are. */
function latestLines(entries: string[], max: number, chars: number, number: string): string[] {
  const { shown, earlier } = latest(entries, max);
  return [
    ...(earlier > 0 ? [`另有更早的 ${earlier} 条，见 /问题 ${number} 或 /导出`] : []),
    ...shown.map((e) => clip(e, chars)),
  ];
}

export function issueCard(view: IssueView): CardJson {
  const returned = view.returned;
  const overdue = !returned && view.overdue && (view.state === 'assigned' || view.state === 'rectifying');
  const status = overdue ? md`<font color='red'>${view.deadlineStatus}</font>` : view.deadlineStatus;
  const assignment = view.assigneeName
    ? joinMarkdown([
        md`**承办单位**：${view.assigneeName}`,
        view.supervisorNames.length > 0 && md`**督办单位**：${view.supervisorNames.join('、')}`,
        !!view.deadline && md`**整改期限**：${view.deadline}${view.state === 'closed' ? '' : md`（${status}）`}`,
        !!view.requirement && md`**整改要求**：${view.requirement}`,
      ])
    : '';
  const actions = view.actions.map((type) => ({
    label: ACTIONS[type].label,
    style: ACTIONS[type].style,
    value: stepButton(view, type),
  }));
  return renderCard('issue', {
    title: `${view.urgency === 'normal' ? '' : `【${URGENCY_NAMES[view.urgency]}】`}${view.waterBodyName ?? ''}问题`,
    number: view.number,
    color: overdue ? 'red' : returned ? 'grey' : STATE_COLORS[view.state],
    // A returning unit's copy says where it stands for that unit, not where the problem has gone since.
    stateName: returned ? '已退回' : overdue ? `${STATE_NAMES[view.state]} · 已逾期` : STATE_NAMES[view.state],
    // A tag has no grey: Feishu's tag colours name it neutral.
    tagColor: overdue ? 'red' : returned || view.state === 'withdrawn' ? 'neutral' : STATE_COLORS[view.state],
    greeting: mentions(view.mentionOpenIds),
    facts: facts(view),
    assignment,
    extension: view.pendingExtension
      ? `申请延期至 ${view.pendingExtension.until}（${view.pendingExtension.byName}）：${view.pendingExtension.reason}`
      : '',
    progressText: joinMarkdown(
      latestLines(
        view.progress.map(
          (p) => `${p.when} ${p.byName}：${clip(p.note, NOTE_CHARS)}${p.photos ? `（照片 ${p.photos} 张）` : ''}`,
        ),
        LATEST_PROGRESS,
        NOTE_CHARS + 60,
        view.number,
      ),
    ),
    historyText: joinMarkdown(
      latestLines(
        view.history.map((h) => `${h.when} ${h.byName} ${h.text}`),
        LATEST_HISTORY,
        HISTORY_CHARS,
        view.number,
      ),
    ),
    hasActions: actions.length > 0,
    actions,
    footer: returned
      ? `${returned.unitName}已于${returned.on}责任退回，由区河长制办公室重新交办，无需再办理。`
      : view.state === 'closed'
        ? '该问题已销号。'
        : '在本卡片所在话题回复文字或照片即记为进展；也可发送“/进展 编号 内容”。',
  });
}

/** Which fields each action's form asks for. */
function formFields(view: IssueFormView) {
  switch (view.action) {
    case 'assign':
      return {
        title: '交办问题',
        unitOptions: view.unitOptions,
        departmentOptions: view.departmentOptions.length > 0 ? view.departmentOptions : undefined,
        date: { label: '整改期限', initial: view.proposedDate },
        text: { label: '整改要求', placeholder: '例如：7 日内清运河岸建筑垃圾，恢复岸坡原貌', required: true },
        submitLabel: '交办',
        hint: '河湖的联络员单位自动列为督办单位；所选行业主管部门一并督促指导。',
      };
    case 'returnResponsibility':
      return {
        title: '责任退回',
        text: { label: '退回理由', placeholder: '例如：该河段属共安彝族乡管辖', required: true },
        submitLabel: '退回区河长制办公室',
        hint: `交办后 ${view.returnWindowHours} 小时内可以退回，由区河长制办公室重新交办。`,
      };
    case 'progress':
      return {
        title: '提交进展',
        text: { label: '整改进展', placeholder: '例如：已清运约一半，预计 3 日内完成', required: true },
        submitLabel: '提交',
      };
    case 'requestClose':
      return {
        title: '申请销号',
        text: { label: '整改情况及佐证', placeholder: '例如：垃圾已全部清运，现场照片已回复在话题中', required: true },
        submitLabel: '申请销号',
        hint: '整改前后的照片请回复在问题卡片所在话题中，核查时可以查看。',
      };
    case 'verifyFail':
      return {
        title: '退回整改',
        text: { label: '退回理由', placeholder: '例如：现场仍有垃圾未清运', required: true },
        submitLabel: '退回整改',
      };
    case 'requestExtension':
      return {
        title: '申请延期',
        date: { label: '延期至', initial: view.proposedDate },
        text: { label: '延期理由', placeholder: '例如：汛期无法施工', required: true },
        submitLabel: '提交申请',
      };
    case 'rejectExtension':
      return {
        title: '不同意延期',
        text: { label: '理由', placeholder: '例如：请按原期限完成', required: true },
        submitLabel: '确定',
      };
    default:
      return { title: ACTIONS[view.action].label, submitLabel: ACTIONS[view.action].label };
  }
}

export function issueFormCard(view: IssueFormView): CardJson {
  return renderCard('issue-action-form', {
    ...formFields(view),
    id: view.id,
    number: view.number,
    summary: view.summary,
    submitValue: issueButtons.act.value({ id: view.id, v: view.version, t: stepOf(view.action) }),
  });
}

export function registerFormCard(view: RegisterFormView): CardJson {
  return renderCard('issue-register', {
    district: view.district,
    waterOptions: view.waterOptions,
    townshipOptions: view.townshipOptions,
    categoryOptions: ISSUE_CATEGORIES.map((c) => ({ value: c, label: c })),
    urgencyOptions: Object.entries(URGENCY_NAMES).map(([value, label]) => ({ value, label })),
  });
}

export function supervisionCard(view: SupervisionView): CardJson {
  const overdue = view.kind === 'overdue';
  return renderCard('issue-supervision', {
    title: overdue ? '督办：问题已逾期' : '督办提醒',
    color: overdue ? 'red' : 'orange',
    number: view.number,
    id: view.id,
    greeting: view.mentionOpenIds.length > 0 ? md`${mentions(view.mentionOpenIds)} ` : '',
    message: overdue
      ? `${view.assigneeName}承办的问题已超过整改期限（${view.deadline}，${view.deadlineStatus}），请抓紧整改并及时报送进展。`
      : `${view.assigneeName}承办的问题将于 ${view.deadline} 到期（${view.deadlineStatus}），请按期完成整改并申请销号。`,
    facts: facts({ ...view, place: '', townshipName: undefined }),
  });
}

const NOTICE_NAMES = { prompt: '提示', bulletin: '通报' } as const;

export function escalationCard(view: EscalationView): CardJson {
  const other = view.suggest === 'prompt' ? 'bulletin' : 'prompt';
  const decided = view.decided
    ? view.decided.outcome === 'dismiss'
      ? `${view.decided.byName}于${view.decided.on}决定暂不处理。`
      : md`${view.decided.byName}已于${view.decided.on}确认对${view.assigneeName}予以**${NOTICE_NAMES[view.decided.outcome]}**，计入年度考核。`
    : '';
  return renderCard('issue-escalation', {
    title: view.decided ? '逾期问题已处理' : `逾期问题：建议${NOTICE_NAMES[view.suggest]}`,
    color: view.decided ? 'grey' : 'red',
    number: view.number,
    message: md`${view.assigneeName}承办的问题已逾期 ${view.daysOverdue} 天（整改期限 ${view.deadline}）。按照协调机制第二十条、第二十一条，建议对${view.assigneeName}予以**${NOTICE_NAMES[view.suggest]}**，请确认。`,
    facts: facts({ description: view.description, waterBodyName: view.waterBodyName, place: '' }),
    open: !view.decided,
    decided,
    noticeKey: view.noticeKey,
    suggest: view.suggest,
    suggestName: NOTICE_NAMES[view.suggest],
    other,
    otherName: `改为${NOTICE_NAMES[other]}`,
  });
}

export function closingReportCard(view: ClosingReportView): CardJson {
  return renderCard('issue-closing-report', {
    number: view.number,
    greeting: view.greetingOpenId ? md`${mention(view.greetingOpenId)} ` : '',
    message: `${view.waterBodyName ?? ''}的问题已整改到位，经${view.verifierName}核查销号${view.onTime === undefined ? '' : view.onTime ? '（按期完成）' : '（逾期完成）'}。`,
    facts: joinMarkdown([
      facts({ description: view.description, waterBodyName: view.waterBodyName, place: view.place }),
      md`**来源**：${view.sourceName}`,
      md`**承办单位**：${view.assigneeName}`,
    ]),
    timeline: joinMarkdown(
      latestLines(
        view.timeline.map((t) => `${t.when} ${t.text}`),
        LATEST_HISTORY,
        HISTORY_CHARS,
        view.number,
      ),
    ),
    footer: '报告河湖长，抄送区河长制办公室（协调机制第八条）。',
  });
}

/** A withdrawn patrol's problems, to its recorder: keep each (a real problem stays real) or withdraw it. */
export function withdrawnPatrolProblemsCard(view: WithdrawnPatrolProblemsView): CardJson {
  const { shown, more } = capped(view.problems, WITHDRAWN_PROBLEMS);
  const undecided = view.problems.filter((p) => !p.decision).length;
  return renderCard('withdrawn-patrol-problems', {
    color: undecided > 0 ? 'orange' : 'grey',
    subject: view.subject,
    intro: `您撤回的巡河记录登记了 ${view.problems.length} 个问题（巡河日期${view.patrolDate}）。问题属实的请保留，继续办理；仅因误记而登记的请撤销，撤销后不再办理、不计入统计。`,
    problems: shown.map((p) => ({
      line: md`**${p.shortNumber}** ${clip(p.description, WITHDRAWN_DESCRIPTION_CHARS)}（${p.stateName}）`,
      outcome: p.decision === 'kept' ? '已保留，继续办理' : p.decision === 'withdrawn' ? '已撤销' : '',
      open: !p.decision,
      keep: issueButtons.keepFromPatrol.value({ id: p.id, v: p.version }),
      withdraw: issueButtons.withdrawFromPatrol.value({ id: p.id, v: p.version }),
    })),
    more: more > 0 ? `另有 ${more} 个问题未列出，可发送 /问题 编号 逐一查看` : '',
  });
}

/** A patrol lists at most 20 problem lines; the card shows them all. */
const WITHDRAWN_PROBLEMS = 20;
const WITHDRAWN_DESCRIPTION_CHARS = 200;

export const issueCards: IssueCardPresenter = {
  issue: issueCard,
  form: issueFormCard,
  register: registerFormCard,
  supervision: supervisionCard,
  escalation: escalationCard,
  closingReport: closingReportCard,
  withdrawnPatrolProblems: withdrawnPatrolProblemsCard,
};
