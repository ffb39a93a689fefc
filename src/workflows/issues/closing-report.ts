import { messageKey } from '../../domain/delivery/message-keys.js';
import type { Directory } from '../../domain/directory/directory.js';
import { type Issue, SOURCE_NAMES } from '../../domain/issues/issue.js';
import type { Destination, IssueContext } from './issue-context.js';

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

/**
 * 报告…抄送区河长制办公室 (art. 8): when a problem is closed, the chief of its water body and
 * whoever raised it get a short report, copied to the River Chief Office.
 */
export async function sendClosingReport(ctx: IssueContext, directory: Directory, issue: Issue): Promise<void> {
  const history = issue.history;
  const verified = history.filter((h) => h.action === 'verifyPass').at(-1);
  const timeline = history
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => TIMELINE[h.action])
    .map(({ h, i }) => ({
      when: ctx.day(h.at),
      text: `${ctx.personName(directory, h.by)}${TIMELINE[h.action] ?? ''}${ctx.stepDetail(directory, issue, history, i)}${h.note && h.action !== 'reported' && h.action !== 'verifyPass' ? `：${h.note}` : ''}`,
    }));
  const closedAt = verified?.at ?? ctx.deps.clock.now();
  const view = {
    number: issue.number,
    waterBodyName: directory.waterBodies.find((w) => w.id === issue.waterBodyId)?.name,
    place: issue.place,
    description: issue.description,
    sourceName: SOURCE_NAMES[issue.source.kind],
    assigneeName: ctx.unitName(directory, issue.assigneeUnit),
    timeline,
    onTime: issue.deadline ? closedAt.getTime() < issue.deadline.getTime() : undefined,
    verifierName: ctx.personName(directory, verified?.by),
  };
  const people = [...new Set([issue.chiefId, issue.foundBy, issue.reportedBy].filter((p): p is string => !!p))];
  const destinations: Destination[] = [
    ...people.map((p) => ctx.personDestination(directory, p)).filter((d): d is Destination => !!d),
    ...ctx.officeDestinations(directory),
  ];
  await ctx.notify(destinations, messageKey('issueClosing', { issueId: issue.id }), {
    kind: 'card',
    card: ctx.deps.cards.closingReport(view),
  });
}
