import type { Approval } from '../../domain/approvals/approval.js';
import { DRAFT, mayDraft, maySee } from '../../domain/approvals/chain.js';
import {
  type AssessmentScheme,
  DEFAULT_SCHEME,
  defaultAssessedYear,
  fullMarks,
  MEASURE_NAMES,
} from '../../domain/assessment/scheme.js';
import { GROUP_NAMES, scoreAndRank, type UnitScore } from '../../domain/assessment/score.js';
import type { Clock } from '../../domain/clock.js';
import { messageKey } from '../../domain/delivery/message-keys.js';
import type { Directory } from '../../domain/directory/directory.js';
import { goLiveDay, goLiveNote } from '../../domain/directory/go-live.js';
import { fullDate } from '../../domain/time/format.js';
import { periodOf } from '../../domain/time/period.js';
import { toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, UserInputError } from '../../errors.js';
import type { Ledger } from '../../export/ledger-xlsx.js';
import type { ApprovalStore } from '../../store/approval-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { ApprovalContent, ApprovalService } from '../approvals/approval-service.js';
import { joinMarkdown, type Markdown, md } from '../markdown.js';
import type { CardJson, Messenger, OutgoingFile } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';
import { type FactSources, gatherFacts } from './assessment-facts.js';

/** What an assessment submitted for approval holds: the scheme and every score, frozen. */
export interface AssessmentContent {
  scheme: AssessmentScheme;
  /** Records up to this instant were counted. */
  cutoff: Date;
  scores: UnitScore[];
  /** 自启用日（12月2日）起 when the go-live day, not the scheme, cut the year; absent otherwise. */
  countedFrom?: string;
}

export interface AssessmentDeps extends FactSources {
  directory: DirectoryStore;
  approvals: ApprovalStore;
  chain: ApprovalService;
  renderWorkbook: (sheets: Ledger[]) => Promise<Buffer>;
  messenger: Messenger;
  clock: Clock;
}

const points = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2).replace(/0$/, ''));

/**
 * The yearly assessment (考核, seed art. 16): scores and ranks computed from the year's
 * records under the office's scheme, every line traceable to its records (card and .xlsx),
 * then the approval chain through to the notice.
 */
export class AssessmentService implements ApprovalContent<AssessmentContent> {
  readonly kind = 'assessment' as const;

  constructor(private readonly deps: AssessmentDeps) {
    deps.chain.register(this);
  }

  /**
   * `/考核 [年份]`: the year's assessment card. While 区河长制办公室 drafts it, the scores are
   * recomputed from the records each time; once submitted they are frozen for review.
   */
  async card(actorOpenId: string, year?: number): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const tz = this.deps.timeZone;
    const now = this.deps.clock.now();
    const y = year ?? defaultAssessedYear(toLocal(now, tz));
    const id = `assessment:${y}`;
    const existing = await this.deps.approvals.get<AssessmentContent>(id);
    if (!this.visible(directory, person.id, existing))
      throw new ForbiddenError('考核结果印发前，只有区河长制办公室、区总河长办公室和区级总河长可以查看。');
    if (!existing) {
      if (!mayDraft(directory, person.id)) throw new ForbiddenError(`尚未开展${y}年度考核，由区河长制办公室发起。`);
      const content = await this.compute(directory, y);
      await this.deps.approvals.create({
        id,
        kind: 'assessment',
        year: y,
        title: `${y}年度河湖长制工作考核结果`,
        position: DRAFT,
        content,
        history: [],
        createdBy: person.id,
        createdAt: now,
        version: 1,
      });
    } else if (existing.position === DRAFT) {
      // While drafting, the card always shows the records as they are now.
      const fresh = (await this.refresh(directory, existing))!;
      return this.deps.chain.cardOf(directory, { ...existing, content: fresh });
    }
    return this.deps.chain.cardOf(directory, (await this.deps.approvals.get(id))!);
  }

  /** Sends the workbook to the person who asked, by direct message; `key` makes a retry send it once. */
  async sendWorkbook(actorOpenId: string, id: string, key: string): Promise<void> {
    const file = await this.workbook(actorOpenId, id);
    await this.deps.messenger.send(
      messageKey('assessmentWorkbook', { approvalId: id, request: key }),
      { openId: actorOpenId },
      file,
    );
  }

  /** The assessment workbook (results, items, evidence), for those who may see the card. */
  async workbook(actorOpenId: string, id: string): Promise<OutgoingFile> {
    const directory = await requireDirectory(this.deps.directory);
    const person = requirePerson(directory, actorOpenId);
    const approval = await this.deps.approvals.get<AssessmentContent>(id);
    if (!approval || approval.kind !== 'assessment') throw new UserInputError('找不到该考核。');
    if (!this.visible(directory, person.id, approval))
      throw new ForbiddenError('考核结果印发前，只有区河长制办公室、区总河长办公室和区级总河长可以查看。');
    const content =
      approval.position === DRAFT ? ((await this.refresh(directory, approval)) ?? approval.content) : approval.content;
    return this.file(approval, content);
  }

  async refresh(directory: Directory, approval: Approval<AssessmentContent>): Promise<AssessmentContent | undefined> {
    return this.compute(directory, approval.year);
  }

  body(_directory: Directory, approval: Approval<AssessmentContent>): Markdown {
    const { scores, scheme, cutoff } = approval.content;
    const tz = this.deps.timeZone;
    const short = (s: UnitScore) =>
      [
        ...s.items.map((i) => `${i.name} ${i.applicable ? `${points(i.points)}（${i.done}/${i.of}）` : '不适用'}`),
        s.bonus.points ? `加 ${points(s.bonus.points)}` : '',
        s.deduction.points ? `扣 ${points(s.deduction.points)}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
    const table = (group: 'township' | 'department') =>
      joinMarkdown(
        scores
          .filter((s) => s.group === group)
          .map((s) =>
            s.assessed
              ? md`${s.rank}. **${s.name}** ${points(s.total)} 分\n<font color='grey'>${short(s)}</font>`
              : md`— ${s.name}<font color='grey'>：本年度无考核记录，不参与排名</font>`,
          ),
      );
    const orNone = (m: Markdown) => (m.isEmpty ? '无' : m);
    return joinMarkdown(
      [
        md`**考核细则**：${scheme.name}（满分 ${fullMarks(scheme)} 分；加分最多 ${scheme.bonus.cap} 分，扣分最多 ${scheme.deductions.cap} 分）`,
        md`**统计截至**：${fullDate(cutoff, tz)}${approval.content.countedFrom ? `（${approval.content.countedFrom}）` : ''}`,
        md`**${GROUP_NAMES.township}排名**\n${orNone(table('township'))}`,
        md`**${GROUP_NAMES.department}排名**\n${orNone(table('department'))}`,
        md`<font color='grey'>括号内为计分的记录数/记录总数；每一分对应的记录见“导出考核明细”的“佐证记录”表。某项无记录的，按其余各项得分率折算。${approval.position === DRAFT ? '起草期间按最新记录计算，提交审核时定稿。' : ''}</font>`,
      ],
      '\n\n',
    );
  }

  async notice(
    directory: Directory,
    approval: Approval<AssessmentContent>,
  ): Promise<{ text: string; files: OutgoingFile[] }> {
    const ranks = (group: 'township' | 'department') =>
      approval.content.scores
        .filter((s) => s.group === group && s.assessed)
        .map((s) => `${s.rank}. ${s.name} ${points(s.total)}分`)
        .join('\n');
    const text = [
      `区总河长办公室关于${approval.year}年度河湖长制工作考核结果的通报`,
      `各乡镇、区级各相关部门：`,
      `按照《${directory.district}河湖长制工作协调机制》第十六条，经区河长制办公室会议审核、区总河长办公室主任会议审议通过，报区总河长审定，现将${approval.year}年度河湖长制工作考核结果通报如下。`,
      `一、乡镇\n${ranks('township')}`,
      `二、区级部门\n${ranks('department')}`,
      `考核结果纳入领导干部自然资源资产离任审计和生态环境损害责任追究，作为目标绩效考核的重要参考。评分明细及佐证记录见附件。`,
      `${directory.district}总河长办公室`,
    ].join('\n\n');
    return { text, files: [await this.file(approval, approval.content)] };
  }

  extras(approval: Approval<AssessmentContent>) {
    return [{ label: '导出考核明细', intent: { export: 'assessment' as const, id: approval.id } }];
  }

  private async compute(directory: Directory, year: number): Promise<AssessmentContent> {
    const tz = this.deps.timeZone;
    const yearEnd = periodOf('year', year, 1, tz).end;
    const now = this.deps.clock.now();
    const cutoff = now.getTime() < yearEnd.getTime() ? now : yearEnd;
    const scheme = (await this.deps.approvals.schemeFor(year))?.scheme ?? DEFAULT_SCHEME;
    const goLive = goLiveDay(directory, tz);
    // Schemes stored before lateEntries existed count late entries, as the default does.
    const facts = await gatherFacts(
      directory,
      year,
      cutoff,
      this.deps,
      scheme.countFrom,
      goLive,
      scheme.lateEntries ?? 'count',
    );
    const countedFrom = scheme.countFrom ? '' : goLiveNote(goLive, { year, month: 1, day: 1 });
    return { scheme, cutoff, scores: scoreAndRank(facts, scheme), ...(countedFrom ? { countedFrom } : {}) };
  }

  private async file(approval: Approval<AssessmentContent>, content: AssessmentContent): Promise<OutgoingFile> {
    const fileName = `${approval.title}${approval.number ? `（${approval.number}）` : ''}.xlsx`;
    return {
      kind: 'file',
      fileName,
      fileType: 'xls',
      data: await this.deps.renderWorkbook(sheets(approval, content, this.deps.timeZone)),
    };
  }

  /** Before publication: the offices and whoever acts on a step; after: everyone in the directory. */
  private visible(directory: Directory, personId: string, approval: Approval | undefined): boolean {
    return maySee(directory, personId, 'assessment', approval?.position ?? DRAFT);
  }
}

/** The workbook: ranked results, each item's score, and one row per record behind them. */
export function sheets(approval: Approval, content: AssessmentContent, timeZone: string): Ledger[] {
  const { scores, scheme } = content;
  const title = `${approval.title}${approval.number ? `（${approval.number}）` : ''}`;
  const results: Ledger = {
    sheetName: '考核结果',
    title,
    columns: [
      { header: '类别', width: 10 },
      { header: '排名', width: 6 },
      { header: '单位', width: 18 },
      ...scheme.items.map((i) => ({ header: `${i.name}（${i.weight}分）`, width: 14 })),
      { header: '折算得分', width: 10 },
      { header: '加分', width: 8 },
      { header: '扣分', width: 8 },
      { header: '总分', width: 8 },
    ],
    rows: scores.map((s) => [
      GROUP_NAMES[s.group],
      s.assessed ? s.rank : '不参与排名',
      s.name,
      ...s.items.map((i) => (i.applicable ? i.points : '不适用')),
      s.itemPoints,
      s.bonus.points,
      s.deduction.points,
      s.total,
    ]),
  };
  const items: Ledger = {
    sheetName: '评分明细',
    title: `${title} 评分明细（统计截至${fullDate(content.cutoff, timeZone)}）`,
    columns: [
      { header: '单位', width: 18 },
      { header: '考核项目', width: 18 },
      { header: '计分方法', width: 44 },
      { header: '分值', width: 8 },
      { header: '计分记录数', width: 10 },
      { header: '记录总数', width: 10 },
      { header: '得分', width: 8 },
    ],
    rows: scores.flatMap((s) => [
      ...s.items.map((i) => [
        s.name,
        i.name,
        MEASURE_NAMES[i.measure],
        i.weight,
        i.done,
        i.of,
        i.applicable ? i.points : '不适用',
      ]),
      [
        s.name,
        '加分',
        `每次通报表扬加 ${scheme.bonus.praiseBulletin} 分，最多 ${scheme.bonus.cap} 分`,
        scheme.bonus.cap,
        s.bonus.evidence.length,
        s.bonus.evidence.length,
        s.bonus.points,
      ],
      [
        s.name,
        '扣分',
        `提示扣 ${scheme.deductions.prompt} 分、通报批评扣 ${scheme.deductions.bulletin} 分、约谈扣 ${scheme.deductions.admonition} 分，最多 ${scheme.deductions.cap} 分`,
        scheme.deductions.cap,
        s.deduction.evidence.length,
        s.deduction.evidence.length,
        -s.deduction.points,
      ],
    ]),
  };
  const evidence: Ledger = {
    sheetName: '佐证记录',
    title: `${title} 佐证记录`,
    columns: [
      { header: '单位', width: 18 },
      { header: '考核项目', width: 18 },
      { header: '记录', width: 40 },
      { header: '日期或期间', width: 16 },
      { header: '情况', width: 36 },
      { header: '是否计分', width: 10 },
      { header: '加减分', width: 8 },
    ],
    rows: scores.flatMap((s) => [
      ...s.items.flatMap((i) =>
        i.evidence.map((e) => [s.name, i.name, e.record, e.day, e.detail, e.counts ? '是' : '否', '']),
      ),
      ...s.bonus.evidence.map((e) => [s.name, '加分', e.record, e.day, e.detail, '是', e.points ?? '']),
      ...s.deduction.evidence.map((e) => [s.name, '扣分', e.record, e.day, e.detail, '是', -(e.points ?? 0)]),
    ]),
  };
  return [results, items, evidence];
}
