import type {
  FindingFormView,
  InspectionCardPresenter,
  InspectionFormView,
  InspectionView,
} from '../../workflows/inspections/views.js';
import { joinMarkdown, type Markdown, md } from '../../workflows/markdown.js';
import { capped, clip } from './limits.js';
import { renderCard } from './template.js';

function findingLine(f: InspectionView['findings'][number]): Markdown {
  const state = f.closed
    ? md`<font color='green'>${f.stateName}</font>`
    : f.overdue
      ? md`<font color='red'>${f.stateName}（已逾期）</font>`
      : f.stateName;
  const guide = f.departmentName ? ` · 督促指导：${f.departmentName}` : '';
  return md`${f.n}. 【${f.aspectName}】${f.text}\n<font color='grey'>${f.waterName} · 整改：${f.townshipName}${guide} · 时限：${f.deadline} · ${f.number}</font> ${state}`;
}

/** Findings the card lists, each cut (limits.ts: 30 KB); /导出 问题台账 has them all. */
const FINDINGS = 30;
const FINDING_CHARS = 120;

function findingLines(findings: InspectionView['findings']): Markdown {
  const { shown, more } = capped(findings, FINDINGS);
  return joinMarkdown([
    ...shown.map((f) => findingLine({ ...f, text: clip(f.text, FINDING_CHARS) })),
    more > 0 && `另有 ${more} 项，见 /导出 问题台账`,
  ]);
}

/** Cards for 督查 (cards/inspection*.json). */
export const inspectionCards: InspectionCardPresenter = {
  inspection(view) {
    const closed = view.findings.filter((f) => f.closed).length;
    const overdue = view.findings.filter((f) => f.overdue).length;
    const facts = joinMarkdown([
      md`**组织单位**：${view.organiserName}`,
      md`**督查范围**：${view.scopeName}`,
      md`**督查时间**：${view.period}`,
      view.findings.length > 0
        ? md`**发现问题**：${view.findings.length} 项，已整改销号 ${closed} 项，整改中 ${view.findings.length - closed - overdue} 项，逾期 ${overdue} 项`
        : md`**发现问题**：尚未记录`,
      !!view.reportedOn && md`**督查报告**：${view.reportedOn}已报送`,
    ]);
    return renderCard('inspection', {
      id: view.id,
      version: view.version,
      heading: view.reportedOn ? '河湖长制工作督查报告' : '河湖长制工作督查',
      title: view.title,
      color: overdue > 0 ? 'orange' : 'indigo',
      facts,
      findingLines:
        view.findings.length > 0 ? findingLines(view.findings) : '点击“添加发现问题”逐项记录，每项即交办乡镇整改。',
      hasFindings: view.findings.length > 0,
      reportLabel: view.reportedOn ? '更新督查报告' : '报送督查报告',
    });
  },
  form(view: InspectionFormView) {
    return renderCard('inspection-form', { ...view });
  },
  findingForm(view: FindingFormView) {
    // A select without options is refused by Feishu: no departments, no department select.
    return renderCard('inspection-finding-form', { ...view, hasDepartments: view.departmentOptions.length > 0 });
  },
};
