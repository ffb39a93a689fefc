import type { Approval } from '../../domain/approvals/approval.js';
import { APPROVAL_KIND_NAMES, CHAINS, DRAFT, mayDraft } from '../../domain/approvals/chain.js';
import { DEFAULT_SCHEME, defaultAssessedYear } from '../../domain/assessment/scheme.js';
import type { Clock } from '../../domain/clock.js';
import type { Directory, Person } from '../../domain/directory/directory.js';
import { toLocal } from '../../domain/time/zoned.js';
import { ForbiddenError, StaleError, UserInputError } from '../../errors.js';
import type { ApprovalStore } from '../../store/approval-store.js';
import type { DirectoryStore } from '../../store/directory-store.js';
import type { ApprovalContent, ApprovalService } from '../approvals/approval-service.js';
import type { AssessmentContent } from '../assessment/assessment-service.js';
import { joinMarkdown, type Markdown, md } from '../markdown.js';
import type { CardJson, OutgoingFile } from '../ports.js';
import { requireDirectory, requirePerson } from '../require-directory.js';

/** A commendation plan and its list, or an incentive plan and the units it rewards. */
export interface PlanContent {
  plan: string;
  list: string[];
}

export type PlanKind = 'commendation' | 'incentive';

export interface PlanFormView {
  kind: PlanKind;
  heading: string;
  id?: string;
  version?: number;
  year: number;
  title: string;
  plan: string;
  list: string;
  listLabel: string;
}

export interface PlanCardPresenter {
  planForm(view: PlanFormView): CardJson;
}

export interface PlanDeps {
  directory: DirectoryStore;
  approvals: ApprovalStore;
  chain: ApprovalService;
  cards: PlanCardPresenter;
  clock: Clock;
  timeZone: string;
}

const LIST_LABELS: Record<PlanKind, string> = { commendation: '表彰名单', incentive: '激励对象' };

/** One kind's part in the approval chain: its card body, its notice and its 修改 button. */
class PlanKindContent implements ApprovalContent<PlanContent> {
  constructor(readonly kind: PlanKind) {}

  body(_directory: Directory, approval: Approval<PlanContent>): Markdown {
    const list = joinMarkdown(approval.content.list.map((line, i) => md`${i + 1}. ${line}`));
    return md`**${this.kind === 'commendation' ? '工作方案' : '激励方案'}**\n${approval.content.plan}\n\n**${LIST_LABELS[this.kind]}**\n${list.isEmpty ? '（未填写）' : list}`;
  }

  notice(directory: Directory, approval: Approval<PlanContent>): Promise<{ text: string; files: OutgoingFile[] }> {
    const list = approval.content.list.map((line, i) => `${i + 1}. ${line}`).join('\n');
    const basis = this.kind === 'commendation' ? '第十八条' : '第十九条';
    return Promise.resolve({
      text: [
        `区总河长办公室关于${approval.title}的通报`,
        '各乡镇、区级各相关部门：',
        `按照《${directory.district}河湖长制工作协调机制》${basis}，经区总河长办公室主任会议审议通过，报区总河长审定，现将${approval.title}通报如下。`,
        approval.content.plan,
        `${LIST_LABELS[this.kind]}：\n${list}`,
        `${directory.district}总河长办公室`,
      ].join('\n\n'),
      files: [],
    });
  }

  extras(approval: Approval<PlanContent>) {
    return approval.position === DRAFT ? [{ label: '修改', intent: { edit: 'plan' as const, id: approval.id } }] : [];
  }
}

/**
 * 表彰 and 激励 (seed art. 17–19): 区河长制办公室 drafts a commendation plan and list, or an
 * incentive plan for the top-ranked townships and departments of the published assessment;
 * each goes 主任会议 → 区级总河长 → published in 区总河长办公室's name.
 */
export class PlanService {
  constructor(private readonly deps: PlanDeps) {
    deps.chain.register(new PlanKindContent('commendation'));
    deps.chain.register(new PlanKindContent('incentive'));
  }

  /** A new plan's form; the incentive plan starts from the year's published ranking. */
  async form(actorOpenId: string, kind: PlanKind, year?: number): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    this.drafter(directory, actorOpenId);
    const y = year ?? defaultAssessedYear(toLocal(this.deps.clock.now(), this.deps.timeZone));
    if (kind === 'commendation') {
      return this.deps.cards.planForm({
        kind,
        heading: '起草表彰工作方案和表彰名单',
        year: y,
        title: `${y}年度河湖长制工作表彰`,
        plan: '',
        list: '',
        listLabel: LIST_LABELS[kind],
      });
    }
    const assessment = await this.deps.approvals.get<AssessmentContent>(`assessment:${y}`);
    if (!assessment || assessment.position < CHAINS.assessment.length)
      throw new UserInputError(`${y}年度考核结果尚未通报，通报后再按排名起草激励方案。`);
    const top = assessment.content.scheme.incentives ?? DEFAULT_SCHEME.incentives;
    const pick = (group: 'township' | 'department', n: number) =>
      assessment.content.scores.filter((s) => s.group === group && s.assessed && s.rank <= n);
    const units = [...pick('township', top.townships), ...pick('department', top.departments)];
    return this.deps.cards.planForm({
      kind,
      heading: '起草激励方案',
      year: y,
      title: `${y}年度河湖长制工作激励方案`,
      plan: `根据${y}年度河湖长制工作考核结果（${assessment.number ?? ''}），对推进力度大、管护成效明显、考核排名靠前的乡镇和区级部门给予激励。`,
      list: units.map((s) => `${s.name}（第${s.rank}名，${s.total}分）`).join('\n'),
      listLabel: LIST_LABELS[kind],
    });
  }

  /** The form of a draft, to change it before it is submitted again. */
  async editForm(actorOpenId: string, id: string): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    this.drafter(directory, actorOpenId);
    const approval = await this.load(id);
    if (approval.position !== DRAFT) throw new StaleError('已提交审核，不能修改；退回后可修改。');
    return this.deps.cards.planForm({
      kind: approval.kind as PlanKind,
      heading: `修改${APPROVAL_KIND_NAMES[approval.kind]}`,
      id,
      version: approval.version,
      year: approval.year,
      title: approval.title,
      plan: approval.content.plan,
      list: approval.content.list.join('\n'),
      listLabel: LIST_LABELS[approval.kind as PlanKind],
    });
  }

  /** Saves the form: a new draft (once per form) or the draft being changed. */
  async save(
    actorOpenId: string,
    input: { kind: PlanKind; year: number; title: string; plan: string; list: string; id?: string; version?: number },
    key: string,
  ): Promise<CardJson> {
    const directory = await requireDirectory(this.deps.directory);
    const person = this.drafter(directory, actorOpenId);
    const content: PlanContent = {
      plan: input.plan,
      list: input.list
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    };
    if (content.list.length === 0) throw new UserInputError(`请填写${LIST_LABELS[input.kind]}，每行一个`);
    if (input.id) {
      const current = await this.load(input.id);
      if (current.version !== input.version || !(await this.deps.approvals.updateDraft(current, input.title, content)))
        throw new StaleError('已被他人修改或已提交，卡片已刷新。');
      return this.deps.chain.card(actorOpenId, input.id);
    }
    const id = `${input.kind}:${input.year}:${key}`;
    await this.deps.approvals.create({
      id,
      kind: input.kind,
      year: input.year,
      title: input.title,
      position: DRAFT,
      content,
      history: [],
      createdBy: person.id,
      createdAt: this.deps.clock.now(),
      version: 1,
    });
    return this.deps.chain.card(actorOpenId, id);
  }

  private async load(id: string): Promise<Approval<PlanContent>> {
    const approval = await this.deps.approvals.get<PlanContent>(id);
    if (!approval || (approval.kind !== 'commendation' && approval.kind !== 'incentive'))
      throw new UserInputError('找不到该方案。');
    return approval;
  }

  private drafter(directory: Directory, openId: string): Person {
    const person = requirePerson(directory, openId);
    if (!mayDraft(directory, person.id)) throw new ForbiddenError('表彰和激励方案由区河长制办公室起草。');
    return person;
  }
}
