import { dueMonth } from '../src/store/figures/problem-due-facts.js';
import type { Models } from '../src/store/models/index.js';
import type { IssueDoc } from '../src/store/models/issue.js';

/**
 * Problems already assigned to 永和镇 on 大渡河, inserted in bulk: the benches measure the
 * traffic they send, not the setup. Ids are `<prefix>-<n>`; numbers use `digits` places.
 */
export async function seedAssignedProblems(
  models: Models,
  count: number,
  prefix: string,
  digits: number,
): Promise<void> {
  const now = new Date();
  const deadline = new Date(now.getTime() + 10 * 86_400_000);
  const docs: IssueDoc[] = Array.from({ length: count }, (_, i) => ({
    _id: `${prefix}-${i}`,
    key: `${prefix}-${i}`,
    year: 2026,
    seq: i + 1,
    number: `金口河〔2026〕第${String(i + 1).padStart(digits, '0')}号`,
    waterBodyId: 'dadu-jinkouhe',
    townshipId: 'yonghe',
    place: '',
    description: `河岸建筑垃圾 ${i + 1}`,
    category: '河岸',
    urgency: 'normal',
    photos: [],
    source: { kind: 'office', ref: null },
    foundBy: 'qian-hezhangban',
    foundAt: now,
    reportedBy: 'qian-hezhangban',
    chiefId: 'li-hezhang',
    state: 'assigned',
    version: 2,
    assigneeUnit: 'yonghe',
    supervisorUnits: ['water-bureau'],
    deadline,
    // As the store keeps it, so the assessment's due facts find them (figures/problem-due-facts.ts).
    dueMonth: dueMonth(deadline),
    requirement: '清运',
    assignedAt: now,
    deadlineSetAt: now,
    pendingExtension: null,
    progress: [],
    closedAt: null,
    closedOnTime: null,
    cardKeys: [],
    history: [],
    nextSupervisionAt: null,
    createdAt: now,
    updatedAt: now,
  }));
  for (let i = 0; i < docs.length; i += 1000) await models.issues.insertMany(docs.slice(i, i + 1000));
}
