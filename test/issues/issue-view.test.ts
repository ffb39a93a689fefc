import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeKey } from '../../src/domain/delivery/message-keys.js';
import { closingReportView } from '../../src/workflows/issues/closing-report.js';
import { issueView, placeView } from '../../src/workflows/issues/issue-view.js';
import { buildIssue } from '../factories/issue.js';
import { openWorkflowWorld, type WorkflowWorld } from '../helpers/workflow-world.js';

/**
 * What the problem card and its closing report say, drawn from a saved problem, the directory
 * and a moment: pure functions, so a card reads the same whether a tap or the 督办 sweep drew it.
 */

let world: WorkflowWorld;
/** The deadline day is 12月4日: a deadline is the end of its last day. */
const DEADLINE = new Date('2026-12-05T00:00:00+08:00');

beforeAll(async () => {
  world = await openWorkflowWorld('2026-11-24T10:00:00+08:00');
});
afterAll(() => world?.close());

describe('the problem card as plain data', () => {
  it('names the deadline by its day, counts the days left from the moment given, and words each step', async () => {
    const issue = await buildIssue(world, { state: 'rectifying', deadline: DEADLINE });

    const today = issueView(world.directory, issue, { now: world.clock.now(), timeZone: world.timeZone });
    expect(today).toMatchObject({
      state: 'rectifying',
      waterBodyName: '大渡河（金口河段）',
      assigneeName: '永和镇',
      foundOn: '11月24日',
      deadline: '12月4日',
      deadlineStatus: '剩10天',
      overdue: false,
      actions: [],
    });
    expect(today.history.map((h) => `${h.byName}${h.text}`)).toEqual([
      '钱某某登记问题',
      '钱某某交办（永和镇，期限12月4日）：清理河道垃圾',
      '吴某某接收，开始整改',
    ]);

    const later = issueView(world.directory, issue, {
      now: new Date('2026-12-06T09:00:00+08:00'),
      timeZone: world.timeZone,
    });
    expect([later.deadlineStatus, later.overdue]).toEqual(['已逾期2天', true]);
  });

  it('offers each place only what its people may do', async () => {
    const issue = await buildIssue(world, { state: 'rectifying', deadline: DEADLINE });
    const at = (place: string | undefined) => placeView(world.directory, issue, place, world.timeZone).actions;

    expect(at(placeKey('unit', 'yonghe'))).toEqual(['progress', 'requestClose', 'requestExtension']);
    // A water body's chat holds all kinds of people; another township has nothing to do here.
    expect(at(placeKey('water', 'dadu-jinkouhe'))).toEqual([]);
    expect(at(placeKey('unit', 'jinhe'))).toEqual([]);
    expect(at(undefined)).toEqual([]);
  });
});

describe('the closing report', () => {
  it('lists the steps in words and says the problem was closed in time', async () => {
    const issue = await buildIssue(world, { state: 'closed', deadline: DEADLINE });

    const report = closingReportView(world.directory, issue, { now: world.clock.now(), timeZone: world.timeZone });

    expect(report.timeline.map((t) => t.text)).toEqual([
      '钱某某登记',
      '钱某某交办（永和镇，期限12月4日）：清理河道垃圾',
      '吴某某接收整改',
      '吴某某申请销号：垃圾已清运完毕',
      '钱某某核查销号',
    ]);
    expect([report.assigneeName, report.verifierName, report.onTime]).toEqual(['永和镇', '钱某某', true]);
  });
});
