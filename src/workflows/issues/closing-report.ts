import { messageKey } from '../../domain/delivery/message-keys.js';
import { type Directory, personName, unitName } from '../../domain/directory/directory.js';
import { type Issue, SOURCE_NAMES } from '../../domain/issues/issue.js';
import { shortDate } from '../../domain/time/format.js';
import { type Destination, notify, officeDestinations, personDestination } from '../destinations.js';
import type { Messenger } from '../ports.js';
import { stepDetail } from './history-text.js';
import type { CardTime } from './issue-view.js';
import type { ClosingReportView, IssueCardPresenter } from './views.js';

/** The steps a closing report lists, in words; progress notes are left to the card's history. */
const TIMELINE: Partial<Record<string, string>> = {
  reported: '登记',
  assign: '交办',
  accept: '接收整改',
  returnResponsibility: '责任退回',
  requestClose: '申请销号',
  verifyFail: '退回整改',
  approveExtension: '同意延期',
  verifyPass: '核查销号',
};

/** The closing report of a closed problem: its steps in words, and whether it was done in time. */
export function closingReportView(directory: Directory, issue: Issue, { now, timeZone }: CardTime): ClosingReportView {
  const history = issue.history;
  const verified = history.filter((h) => h.action === 'verifyPass').at(-1);
  const timeline = history
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => TIMELINE[h.action])
    .map(({ h, i }) => ({
      when: shortDate(h.at, timeZone),
      text: `${personName(directory, h.by)}${TIMELINE[h.action] ?? ''}${stepDetail(directory, issue, history, i, timeZone)}${h.note && h.action !== 'reported' && h.action !== 'verifyPass' ? `：${h.note}` : ''}`,
    }));
  const closedAt = verified?.at ?? now;
  return {
    number: issue.number,
    waterBodyName: directory.waterBodies.find((w) => w.id === issue.waterBodyId)?.name,
    place: issue.place,
    description: issue.description,
    sourceName: SOURCE_NAMES[issue.source.kind],
    assigneeName: unitName(directory, issue.assigneeUnit),
    timeline,
    onTime: issue.deadline ? closedAt.getTime() < issue.deadline.getTime() : undefined,
    verifierName: personName(directory, verified?.by),
  };
}

/**
 * 报告…抄送区河长制办公室 (art. 8): when a problem is closed, the chief of its water body and
 * whoever raised it get a short report, copied to the River Chief Office.
 */
export async function sendClosingReport(
  messenger: Messenger,
  cards: IssueCardPresenter,
  directory: Directory,
  issue: Issue,
  time: CardTime,
): Promise<void> {
  const people = [...new Set([issue.chiefId, issue.foundBy, issue.reportedBy].filter((p): p is string => !!p))];
  const destinations: Destination[] = [
    ...people.map((p) => personDestination(directory, p)).filter((d): d is Destination => !!d),
    ...officeDestinations(directory),
  ];
  await notify(messenger, destinations, messageKey('issueClosing', { issueId: issue.id }), {
    kind: 'card',
    card: cards.closingReport(closingReportView(directory, issue, time)),
  });
}
