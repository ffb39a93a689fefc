import { type Directory, unitName } from '../../domain/directory/directory.js';
import type { Issue, IssueHistoryLine } from '../../domain/issues/issue.js';
import { deadlineText } from './deadline-text.js';

/** Each step of a problem's history as its card's 办理记录 names it. */
const HISTORY_TEXT: Record<IssueHistoryLine['action'], string> = {
  reported: '登记问题',
  assign: '交办',
  accept: '接收，开始整改',
  returnResponsibility: '责任退回',
  progress: '报送进展',
  requestClose: '申请销号',
  verifyPass: '核查通过，予以销号',
  verifyFail: '退回整改',
  requestExtension: '申请延期',
  approveExtension: '同意延期',
  rejectExtension: '不同意延期',
  withdraw: '撤销问题',
  confirm: '确认问题属实，予以保留',
};

/** One line of the card's 办理记录: the verb, what it adds (see stepDetail) and its note. */
export function historyLineText(
  directory: Directory,
  issue: Issue,
  history: IssueHistoryLine[],
  index: number,
  timeZone: string,
): string {
  const h = history[index];
  if (!h) return '';
  const note = h.note && h.action !== 'reported' ? `：${h.note}` : '';
  return `${HISTORY_TEXT[h.action]}${stepDetail(directory, issue, history, index, timeZone)}${note}`;
}

/**
 * What a history line adds to its verb, from the facts it recorded at the time: the unit and
 * deadline of a 交办 (`（金河镇，期限12月4日）`), the unit of a 责任退回, the dates of a 延期
 * (`至12月20日（原期限12月8日）`). Lines stored before facts were kept say what can still be
 * known for certain: an old 交办 not followed by a 责任退回 went to the unit that has it now;
 * any other says 单位未记录; old 延期 lines show only their reason.
 */
export function stepDetail(
  directory: Directory,
  issue: Issue,
  history: IssueHistoryLine[],
  index: number,
  timeZone: string,
): string {
  const line = history[index];
  if (!line) return '';
  const f = line.facts;
  const unit = f?.unitName ?? (f?.unitId ? unitName(directory, f.unitId) : undefined);
  const date = (d: Date | string | undefined) => (d ? deadlineText(new Date(d), timeZone) : undefined);
  const was = date(f?.previousDeadline) ? `（原期限${date(f?.previousDeadline)}）` : '';
  switch (line.action) {
    case 'assign': {
      if (f) return `（${[unit, date(f.deadline) && `期限${date(f.deadline)}`].filter(Boolean).join('，')}）`;
      const returnedLater = history.slice(index + 1).some((h) => h.action === 'returnResponsibility');
      return `（${!returnedLater && issue.assigneeUnit ? unitName(directory, issue.assigneeUnit) : '单位未记录'}）`;
    }
    case 'returnResponsibility':
      return unit ? `（${unit}）` : '';
    case 'requestExtension':
    case 'rejectExtension':
      return date(f?.requestedUntil) ? `至${date(f?.requestedUntil)}${was}` : '';
    case 'approveExtension':
      return date(f?.deadline) ? `至${date(f?.deadline)}${was}` : '';
    default:
      return '';
  }
}
