import { joinMarkdown, md } from '../../workflows/markdown.js';
import type { CardJson } from '../../workflows/ports.js';
import type { DigestView, StatusCardPresenter, StatusView } from '../../workflows/status/views.js';
import { cappedLines } from './limits.js';
import { renderCard } from './template.js';

const percent = (done: number, of: number) => (of === 0 ? '—' : `${Math.round((done / of) * 100)}%`);
const legend = { visible: true, orient: 'bottom' };

/** Charts as VChart specs (Feishu's `chart` element): plain data, no functions. */
function patrolChart(view: StatusView): Record<string, unknown> | undefined {
  if (view.charts.patrolRates.length === 0) return undefined;
  return {
    type: 'line',
    title: { visible: true, text: '巡河履职率（按月、按层级）' },
    data: [{ id: 'rates', values: view.charts.patrolRates }],
    xField: 'month',
    yField: 'rate',
    seriesField: 'level',
    point: { visible: true },
    axes: [{ orient: 'left', min: 0, max: 100, title: { visible: true, text: '%' } }],
    legends: legend,
  };
}

function issueChart(view: StatusView): Record<string, unknown> | undefined {
  if (view.charts.issuesByMonth.every((m) => m.count === 0)) return undefined;
  return {
    type: 'bar',
    title: { visible: true, text: '问题新增与销号（按月）' },
    data: [{ id: 'issues', values: view.charts.issuesByMonth }],
    xField: ['month', 'kind'],
    yField: 'count',
    seriesField: 'kind',
    legends: legend,
  };
}

function townshipChart(view: StatusView): Record<string, unknown> | undefined {
  if (view.charts.openByTownship.length === 0) return undefined;
  return {
    type: 'bar',
    direction: 'horizontal',
    title: { visible: true, text: '在办问题（按乡镇）' },
    data: [{ id: 'townships', values: view.charts.openByTownship }],
    xField: 'count',
    yField: 'township',
    seriesField: 'kind',
    stack: true,
    legends: legend,
  };
}

function statusData(view: StatusView): Record<string, unknown> {
  const lines = (items: string[]) => items.filter(Boolean).join('\n');
  return {
    title: `河湖长制工作状态 · ${view.scope}`,
    subtitle: `截至${view.asOf}`,
    color: view.issues.overdue > 0 || view.decisions.overdue > 0 ? 'orange' : 'blue',
    patrolText: view.patrols.length
      ? lines([
          ...view.patrols.map(
            (p) =>
              `${p.roleName}：${p.periodName} ${p.fulfilled}/${p.required}（${percent(p.fulfilled, p.required)}）· ${view.yearName} ${percent(p.yearFulfilled, p.yearRequired)}`,
          ),
          view.goLiveNote && `${view.yearName}比率${view.goLiveNote}计算。`,
        ])
      : '范围内没有巡河职责。',
    patrolChart: patrolChart(view),
    issueText: joinMarkdown([
      md`在办 **${view.issues.open}** 个，其中逾期 ${view.issues.overdue > 0 ? md`<font color='red'>**${view.issues.overdue}**</font>` : md`**0**`} 个，待交办 ${view.issues.awaitingAssignment} 个`,
      `${view.monthName}新增 ${view.issues.openedThisMonth} 个，${view.monthName}销号 ${view.issues.closedThisMonth} 个`,
    ]),
    issueChart: issueChart(view),
    townshipChart: townshipChart(view),
    decisionText: joinMarkdown([
      md`未办结议定事项 **${view.decisions.open}** 项，逾期 ${view.decisions.overdue} 项，7 日内到期 ${view.decisions.dueWithinWeek} 项`,
      `待审定纪要和文件 ${view.approvalsWaiting} 份`,
    ]),
    meetingText:
      view.meetings.length > 0
        ? lines(
            cappedLines(
              view.meetings.map((m) => `${m.when} ${m.title}`),
              10,
              80,
              '发送 /会议 查看',
            ),
          )
        : '未来 30 天没有安排会议。',
    footer: '查看明细：/问题 逾期、/议定、/会议；导出台账：/导出。',
    undeliveredText: view.undelivered
      ? md`<font color='orange'>**近 7 天未送达消息 ${view.undelivered} 条**</font>（见每日未送达汇总）`
      : undefined,
  };
}

export function statusCard(view: StatusView): CardJson {
  return renderCard('status', statusData(view));
}

export function digestCard(view: DigestView): CardJson {
  return renderCard('status', {
    ...statusData(view),
    title: `河湖长制工作月度简报 · ${view.month}`,
    notable: cappedLines(
      view.notable.map((n) => `· ${n}`),
      15,
      150,
      '见 /逾期、/问题',
    ).join('\n'),
    footer: '每月第一个工作日发送；随时可发送 /简报 查看。查看明细：/逾期、/问题、/议定；导出台账：/导出。',
  });
}

export const statusCards: StatusCardPresenter = { status: statusCard, digest: digestCard };
