import { type Directory, personName, unitName } from '../../domain/directory/directory.js';
import type { OfficialDocument } from '../../domain/documents/document.js';
import { type Issue, SOURCE_NAMES, URGENCY_NAMES } from '../../domain/issues/issue.js';
import { STATE_NAMES } from '../../domain/issues/lifecycle.js';
import { deadlineDay } from '../../domain/issues/supervision.js';
import { CHIEF_ROLE_NAMES } from '../../domain/patrols/obligation.js';
import { formatLocalDate, toLocal } from '../../domain/time/zoned.js';
import type { Ledger } from '../../export/ledger-xlsx.js';
import type { PatrolDoc } from '../../store/models/patrol.js';

/**
 * The three ledgers offices keep (巡河台账、问题台账、议定事项台账), with the columns they
 * use, built from the records: nothing in them is typed twice.
 */

export type LedgerKind = 'patrols' | 'issues' | 'decisions';

export const LEDGER_NAMES: Record<LedgerKind, string> = {
  patrols: '巡河台账',
  issues: '问题台账',
  decisions: '议定事项台账',
};

const name = personName;
const unit = unitName;
const water = (directory: Directory, id: string | null | undefined) =>
  directory.waterBodies.find((w) => w.id === id)?.name ?? '';

function chiefRole(directory: Directory, patrol: PatrolDoc): string {
  if (patrol.role) return CHIEF_ROLE_NAMES[patrol.role];
  return patrol.chiefId === directory.generalChief ? CHIEF_ROLE_NAMES.generalChief : '';
}

export function patrolLedger(directory: Directory, title: string, patrols: PatrolDoc[], timeZone: string): Ledger {
  const day = (at: Date) => formatLocalDate(toLocal(at, timeZone));
  return {
    sheetName: LEDGER_NAMES.patrols,
    title,
    columns: [
      { header: '序号', width: 6 },
      { header: '河湖', width: 18 },
      { header: '河湖长', width: 10 },
      { header: '职务', width: 12 },
      { header: '巡河日期', width: 12 },
      // When it was entered, and why late when it was a 补记: backdating is visible in the ledger.
      { header: '录入日期', width: 12 },
      { header: '补记说明', width: 24 },
      { header: '记录人', width: 10 },
      { header: '巡河情况', width: 40 },
      { header: '发现问题', width: 40 },
      { header: '照片（张）', width: 10 },
    ],
    rows: patrols.map((p, i) => [
      i + 1,
      water(directory, p.waterBodyId) || '全区',
      name(directory, p.chiefId),
      chiefRole(directory, p),
      day(p.patrolledAt),
      day(p.createdAt),
      p.late ? (p.lateReason ?? '（未填写）') : '',
      p.recordedBy === p.chiefId ? '本人' : `${name(directory, p.recordedBy)}（代记）`,
      p.observations,
      p.problems.map((x, k) => `${k + 1}. ${x}`).join('\n'),
      p.photoKeys.length,
    ]),
  };
}

function deadlineCells(issue: Issue, timeZone: string): [string, string, string, string] {
  const due = issue.deadline ? formatLocalDate(deadlineDay(issue.deadline, timeZone)) : '';
  const closed = issue.closedAt ? formatLocalDate(toLocal(issue.closedAt, timeZone)) : '';
  const onTime =
    issue.closedAt && issue.deadline ? (issue.closedAt.getTime() < issue.deadline.getTime() ? '是' : '否') : '';
  return [due, STATE_NAMES[issue.state], closed, onTime];
}

export function issueLedger(directory: Directory, title: string, issues: Issue[], timeZone: string): Ledger {
  const day = (at: Date) => formatLocalDate(toLocal(at, timeZone));
  return {
    sheetName: LEDGER_NAMES.issues,
    title,
    columns: [
      { header: '问题编号', width: 22 },
      { header: '河湖', width: 18 },
      { header: '乡镇', width: 12 },
      { header: '具体位置', width: 16 },
      { header: '问题描述', width: 40 },
      { header: '类别', width: 10 },
      { header: '紧急程度', width: 8 },
      { header: '来源', width: 12 },
      { header: '发现人', width: 10 },
      { header: '发现日期', width: 12 },
      { header: '承办单位', width: 14 },
      { header: '督办单位', width: 20 },
      { header: '整改期限', width: 12 },
      { header: '办理状态', width: 10 },
      { header: '销号日期', width: 12 },
      { header: '是否按期', width: 8 },
    ],
    rows: issues.map((i) => [
      i.number,
      water(directory, i.waterBodyId),
      unit(directory, i.townshipId),
      i.place,
      i.description,
      i.category,
      URGENCY_NAMES[i.urgency],
      SOURCE_NAMES[i.source.kind],
      name(directory, i.foundBy),
      day(i.foundAt),
      unit(directory, i.assigneeUnit),
      i.supervisorUnits.map((u) => unit(directory, u)).join('、'),
      ...deadlineCells(i, timeZone),
    ]),
  };
}

export function decisionLedger(
  directory: Directory,
  title: string,
  issues: Issue[],
  documents: Map<string, OfficialDocument>,
  timeZone: string,
): Ledger {
  return {
    sheetName: LEDGER_NAMES.decisions,
    title,
    columns: [
      { header: '文号', width: 22 },
      { header: '纪要或文件', width: 30 },
      { header: '序号', width: 6 },
      { header: '议定事项', width: 40 },
      { header: '责任单位', width: 14 },
      { header: '分办督办单位', width: 16 },
      { header: '完成时限', width: 12 },
      { header: '办理状态', width: 10 },
      { header: '销号日期', width: 12 },
      { header: '是否按期', width: 8 },
      { header: '问题编号', width: 22 },
    ],
    rows: issues.map((i) => {
      const [, docId = '', n = ''] = /^doc:([^#]+)#(\d+)$/.exec(i.source.ref ?? '') ?? [];
      const doc = documents.get(docId);
      const [due, state, closed, onTime] = deadlineCells(i, timeZone);
      return [
        doc?.number ?? '',
        doc?.title ?? '',
        Number(n) || '',
        i.description,
        unit(directory, i.assigneeUnit),
        i.supervisorUnits.map((u) => unit(directory, u)).join('、'),
        due,
        state,
        closed,
        onTime,
        i.number,
      ];
    }),
  };
}
