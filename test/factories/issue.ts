import { issueActor } from '../../src/domain/issues/involvement.js';
import type { Issue } from '../../src/domain/issues/issue.js';
import { type IssueAction, type IssueState, transition } from '../../src/domain/issues/lifecycle.js';
import type { NewIssue } from '../../src/store/issue-store.js';
import type { WorkflowWorld } from '../helpers/workflow-world.js';

/** The states a problem reaches by the ordinary road, in order. */
const ROAD: IssueState[] = ['reported', 'assigned', 'rectifying', 'pendingVerification', 'closed'];

export interface IssueOverrides extends Partial<NewIssue> {
  /** Where it stands; the problem is walked there by the lifecycle's own steps. */
  state?: (typeof ROAD)[number];
  /** The unit it is assigned to, from 已交办 on (default 永和镇). */
  unit?: string;
  /** The deadline set at assignment (default 15 days after the clock's now). */
  deadline?: Date;
  supervisors?: string[];
}

/**
 * A problem of the example district (大渡河, 永和镇), saved and walked to `state` through the
 * domain's transitions and the store, as the office and the unit would move it: its history,
 * version and figures are what a real one's would be. No messages are sent: that is the
 * workflow under test's to do.
 *
 *     const issue = await buildIssue(world, { state: 'rectifying' });
 */
export async function buildIssue(world: WorkflowWorld, overrides: IssueOverrides = {}): Promise<Issue> {
  const { state = 'reported', unit = 'yonghe', deadline, supervisors = [], ...fields } = overrides;
  const now = world.clock.now();
  const created = await world.stores.issues.create(
    {
      waterBodyId: 'dadu-jinkouhe',
      townshipId: 'yonghe',
      place: '新民村河段',
      description: '河道内有生活垃圾堆积',
      category: '河面',
      urgency: 'normal',
      source: { kind: 'office' },
      foundBy: 'qian-hezhangban',
      foundAt: now,
      reportedBy: 'qian-hezhangban',
      photos: [],
      chiefId: 'li-hezhang',
      ...fields,
    },
    { prefix: '金口河', year: 2026 },
  );
  const office = 'qian-hezhangban';
  const member = world.directory.units.find((u) => u.id === unit)?.members[0];
  if (!member) throw new Error(`unit ${unit} has no member to act for it`);
  const steps: Array<[IssueAction, string]> = [
    [
      {
        type: 'assign',
        unit,
        deadline: deadline ?? new Date(now.getTime() + 15 * 86_400_000),
        requirement: '清理河道垃圾',
        supervisors,
      },
      office,
    ],
    [{ type: 'accept' }, member],
    [{ type: 'requestClose', evidence: '垃圾已清运完毕' }, member],
    [{ type: 'verifyPass' }, office],
  ];
  let issue = created;
  for (const [action, by] of steps.slice(0, ROAD.indexOf(state))) issue = await step(world, issue, action, by);
  return issue;
}

async function step(world: WorkflowWorld, issue: Issue, action: IssueAction, personId: string): Promise<Issue> {
  const person = world.directory.people.find((p) => p.id === personId)!;
  const result = transition(issue, action, issueActor(world.directory, person, issue), world.clock.now());
  if (!result.ok) throw new Error(`buildIssue: ${action.type} refused: ${result.reason}`);
  if (!(await world.stores.issues.applyChange(issue, result.next, result.entry)))
    throw new Error(`buildIssue: ${action.type} not saved`);
  return (await world.stores.issues.get(issue.id))!;
}

/**
 * What the office fills in on the 登记问题 form (`issue.create`) for the example problem the
 * end-to-end tests follow: construction waste on the bank of 大渡河 in 永和镇.
 */
export const REGISTRATION_FORM: Record<string, string> = {
  water: 'dadu-jinkouhe',
  township: 'yonghe',
  place: '滨河路段',
  description: '河岸堆放建筑垃圾约20立方米',
  category: '河岸',
  urgency: 'normal',
};
