import type { FindingFormView, InspectionCardPresenter, InspectionFormView, InspectionView } from '../../workflows/inspections/views.js';
import { renderCard } from './template.js';

function findingLine(f: InspectionView['findings'][number]): string {
  const state = f.closed ? `<font color='green'>${f.stateName}</font>` : f.overdue ? `<font color='red'>${f.stateName}（已逾期）</font>` : f.stateName;
  const guide = f.departmentName ? ` · 督促指导：${f.departmentName}` : '';
  return `${f.n}. 【${f.aspectName}】${f.text}\n<font color='grey'>${f.waterName} · 整改：${f.townshipName}${guide} · 时限：${f.deadline} · ${f.number}</font> ${state}`;
}

/** Cards for 督查 (cards/inspection*.json). */
export const inspectionCards: InspectionCardPresenter = {
  inspection(view) {
    const closed = view.findings.filter((f) => f.closed).length;
    const overdue = view.findings.filter((f) => f.overdue).length;
    const facts = [
      `**组织单位**：${view.organiserName}`,
      `**督查范围**：${view.scopeName}`,
      `**督查时间**：${view.period}`,
      view.findings.length > 0 ? `**发现问题**：${view.findings.length} 项，已整改销号 ${closed} 项，整改中 ${view.findings.length - closed - overdue} 项，逾期 ${overdue} 项` : '**发现问题**：尚未记录',
      view.reportedOn ? `**督查报告**：${view.reportedOn}已报送` : '',
    ].filter(Boolean);
    return renderCard('inspection', {
      id: view.id,
      version: view.version,
      heading: view.reportedOn ? '河湖长制工作督查报告' : '河湖长制工作督查',
      title: view.title,
      color: overdue > 0 ? 'orange' : 'indigo',
      facts: facts.join('\n'),
      findingLines: view.findings.length > 0 ? view.findings.map(findingLine).join('\n') : '点击“添加发现问题”逐项记录，每项即交办乡镇整改。',
      hasFindings: view.findings.length > 0,
      reportLabel: view.reportedOn ? '更新督查报告' : '报送督查报告',
    });
  },
  form(view: InspectionFormView) {
    return renderCard('inspection-form', { ...view });
  },
  findingForm(view: FindingFormView) {
    return renderCard('inspection-finding-form', { ...view });
  },
};
