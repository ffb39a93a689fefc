import { describe, expect, it } from 'vitest';
import {
  availableActions,
  type IssueAction,
  type IssueActor,
  type IssueSnapshot,
  transition,
} from '../../src/domain/issues/lifecycle.js';

const now = new Date('2026-11-29T10:00:00+08:00');
const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
const office: IssueActor = { personId: 'qian', isOffice: true, isAssignee: false, isSupervisor: false };
const township: IssueActor = { personId: 'wu', isOffice: false, isAssignee: true, isSupervisor: false };
const liaison: IssueActor = { personId: 'sun', isOffice: false, isAssignee: false, isSupervisor: true };
const stranger: IssueActor = { personId: 'x', isOffice: false, isAssignee: false, isSupervisor: false };
const reported: IssueSnapshot = { state: 'reported', version: 1, supervisorUnits: [] };
const assign: IssueAction = {
  type: 'assign',
  unit: 'yonghe',
  deadline: later(24 * 15),
  requirement: '清理河岸建筑垃圾',
  supervisors: ['water-bureau', 'water-bureau'],
};

function apply(issue: IssueSnapshot, action: IssueAction, actor: IssueActor, at = now): IssueSnapshot {
  const result = transition(issue, action, actor, at);
  if (!result.ok) throw new Error(result.reason);
  return result.next;
}

describe('issue lifecycle', () => {
  it('runs 登记 → 已交办 → 整改中 → 待核查 → 已销号 with a history entry per step', () => {
    const steps: Array<[IssueAction, IssueActor]> = [
      [assign, office],
      [{ type: 'accept' }, township],
      [{ type: 'progress', note: '已清运一半' }, liaison],
      [{ type: 'requestClose', evidence: '已全部清运，附照片' }, township],
      [{ type: 'verifyPass' }, liaison],
    ];
    let issue = reported;
    const trail: string[] = [];
    for (const [action, actor] of steps) {
      const result = transition(issue, action, actor, now);
      if (!result.ok) throw new Error(result.reason);
      trail.push(`${result.entry.from}→${result.entry.to} by ${result.entry.by}`);
      issue = result.next;
    }
    expect(trail).toEqual([
      'reported→assigned by qian',
      'assigned→rectifying by wu',
      'rectifying→rectifying by sun',
      'rectifying→pendingVerification by wu',
      'pendingVerification→closed by sun',
    ]);
    expect(issue).toMatchObject({
      state: 'closed',
      version: 5,
      assigneeUnit: 'yonghe',
      supervisorUnits: ['water-bureau'],
    });
  });

  it('refuses the wrong person and the wrong state, changing nothing', () => {
    expect(transition(reported, assign, township, now)).toEqual({
      ok: false,
      reason: '只有区河长制办公室可以进行此操作。',
      forbidden: true,
    });
    expect(transition(reported, { type: 'accept' }, township, now)).toEqual({
      ok: false,
      reason: '该问题当前为“登记”，不能进行此操作。',
      forbidden: false,
    });
    const assigned = apply(reported, assign, office);
    expect(transition(assigned, { type: 'accept' }, liaison, now)).toEqual({
      ok: false,
      reason: '只有承办单位可以进行此操作。',
      forbidden: true,
    });
    const rectifying = apply(assigned, { type: 'accept' }, township);
    expect(transition(rectifying, { type: 'progress', note: '路过看了看' }, stranger, now)).toEqual({
      ok: false,
      reason: '您不是该问题的承办或督办单位，进展未记录。',
      forbidden: true,
    });
    const pending = apply(rectifying, { type: 'requestClose', evidence: '已整改' }, township);
    expect(transition(pending, { type: 'verifyPass' }, township, now)).toEqual({
      ok: false,
      reason: '只有区河长制办公室或联络员单位可以核查销号。',
      forbidden: true,
    });
  });

  it('退回整改 sends it back to 整改中 with a reason', () => {
    let issue = apply(
      apply(apply(reported, assign, office), { type: 'accept' }, township),
      { type: 'requestClose', evidence: '已整改' },
      township,
    );
    expect(transition(issue, { type: 'verifyFail', reason: '' }, office, now)).toEqual({
      ok: false,
      reason: '请说明退回整改的理由。',
      forbidden: false,
    });
    issue = apply(issue, { type: 'verifyFail', reason: '仍有垃圾未清运' }, office);
    expect(issue.state).toBe('rectifying');
  });

  it('责任退回 only within the window, back to the office to reassign', () => {
    const assigned = apply(reported, assign, office);
    const back = transition(
      assigned,
      { type: 'returnResponsibility', reason: '该河段属共安彝族乡' },
      township,
      later(23),
    );
    expect(back.ok && back.next).toMatchObject({ state: 'reported', assigneeUnit: undefined });
    expect(transition(assigned, { type: 'returnResponsibility', reason: '不归我们' }, township, later(25))).toEqual({
      ok: false,
      reason: '已超过交办后 24 小时的责任退回时限，请联系区河长制办公室。',
      forbidden: false,
    });
  });

  it('延期 is requested by the assignee and approved or rejected by the office', () => {
    const rectifying = apply(apply(reported, assign, office), { type: 'accept' }, township);
    expect(
      transition(rectifying, { type: 'requestExtension', until: later(1), reason: '汛期' }, township, now),
    ).toEqual({
      ok: false,
      reason: '延期后的期限须晚于原整改期限。',
      forbidden: false,
    });
    const requested = apply(
      rectifying,
      { type: 'requestExtension', until: later(24 * 30), reason: '汛期无法施工' },
      township,
    );
    expect(availableActions(requested, office)).toEqual(['progress', 'approveExtension', 'rejectExtension']);
    expect(availableActions(requested, township)).toEqual(['progress', 'requestClose']);
    const approved = apply(requested, { type: 'approveExtension' }, office);
    expect(approved.deadline).toEqual(later(24 * 30));
    expect(approved.pendingExtension).toBeUndefined();
    expect(transition(approved, { type: 'approveExtension' }, office, now)).toEqual({
      ok: false,
      reason: '没有待审批的延期申请。',
      forbidden: false,
    });
  });

  it('checks what an assignment needs', () => {
    expect(transition(reported, { ...assign, deadline: now }, office, now)).toEqual({
      ok: false,
      reason: '整改期限须晚于现在。',
      forbidden: false,
    });
    expect(transition(reported, { ...assign, requirement: ' ' }, office, now)).toEqual({
      ok: false,
      reason: '请填写整改要求。',
      forbidden: false,
    });
  });

  it('offers each person only the buttons that make sense', () => {
    expect(availableActions(reported, office)).toEqual(['assign']);
    expect(availableActions(reported, township)).toEqual([]);
    const assigned = apply(reported, assign, office);
    expect(availableActions(assigned, township)).toEqual([
      'accept',
      'returnResponsibility',
      'progress',
      'requestExtension',
    ]);
  });
});

describe('details before assignment', () => {
  it('lets whoever found the problem add details and photos, and nobody uninvolved', () => {
    const reporter: IssueActor = { ...stranger, personId: 'li', isReporter: true };
    const added = transition(reported, { type: 'progress', note: '补充：垃圾约20立方米' }, reporter, now);
    expect(added.ok && added.next).toMatchObject({ state: 'reported', version: 1 });
    expect(transition(reported, { type: 'progress', note: '我也看到了' }, stranger, now)).toEqual({
      ok: false,
      reason: '您不是该问题的承办或督办单位，进展未记录。',
      forbidden: true,
    });
    // The card offers no button for it: replies in the card's thread carry details.
    expect(availableActions(reported, reporter)).toEqual([]);
  });
});
