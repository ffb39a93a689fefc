import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parsePeriodWord } from '../domain/queries/period-words.js';
import { UserInputError } from '../errors.js';
import { approvalButtons, planButtons } from '../feishu/cards/buttons/approval-buttons.js';
import { joinInputs, partNames } from '../feishu/cards/limits.js';
import { PLAN_INPUT_PARTS } from '../feishu/cards/plan-cards.js';
import type { ApprovalService } from '../workflows/approvals/approval-service.js';
import type { AssessmentService } from '../workflows/assessment/assessment-service.js';
import type { PlanService } from '../workflows/commendations/plan-service.js';
import { type CardActionRouter, done, formOf, privateForm, refreshedOnStale, type TapAnswer } from './card-actions.js';
import type { Command } from './commands/command.js';

const CommentForm = z.object({
  comment: z.string().trim().max(1000, '意见过长，请精简到 1000 字以内').optional().default(''),
});

/** The buttons of every record on an approval chain, and the assessment's export. */
export function registerApprovalActions(
  router: CardActionRouter,
  chain: ApprovalService,
  assessment: AssessmentService,
): void {
  const refreshed = (operator: string, approvalId: string, work: () => Promise<TapAnswer>) =>
    refreshedOnStale(work, () => chain.card(operator, approvalId));

  router.wire(approvalButtons, {
    submit: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, async () =>
        done('已提交审核', await chain.submit(tap.operatorOpenId, v.id, v.v)),
      ),
    pass: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, async () => done('已通过', await chain.pass(tap.operatorOpenId, v.id, v.v))),
    return: (v, tap) => {
      const f = formOf(CommentForm, tap.formValue);
      return refreshed(tap.operatorOpenId, v.id, async () =>
        done('已退回上一环节', await chain.return(tap.operatorOpenId, v.id, v.v, f.comment)),
      );
    },
    view: async (v, tap) => ({ card: await chain.card(tap.operatorOpenId, v.id) }),
    exportAssessment: async (v, tap) => {
      await assessment.sendWorkbook(tap.operatorOpenId, v.id, tap.messageId ?? v.id);
      return { toast: { type: 'success', content: '考核明细已发送到您的单聊' } };
    },
  });
}

/** `/考核 [年份]`: the year's assessment. */
export function assessmentCommand(assessment: AssessmentService, timeZone: string, now: () => Date): Command {
  return {
    name: '考核',
    audience: ['office', 'chief'],
    aliases: ['assessment'],
    usage: '/考核 [年份]',
    summary: '按考核细则从全年记录计算各乡镇、部门得分和排名（每一分可追溯到记录），提交审核、审议、审定并通报',
    example: '/考核 2026年',
    async run(ctx) {
      await ctx.reply({
        kind: 'card',
        card: await assessment.card(ctx.message.senderOpenId, yearArgument(ctx.args, timeZone, now)),
      });
    },
  };
}

/** The plan and the list each come in several inputs of ≤ 1000 characters (`plan`, `plan_2` …), joined here. */
const part = z.string().trim().max(1000, '每栏最多 1000 字，请接着写在下一栏').optional();
const PlanForm = z
  .object({
    title: z.string({ error: '请填写标题' }).trim().min(1, '请填写标题').max(100),
    ...(Object.fromEntries(
      Object.entries(PLAN_INPUT_PARTS).flatMap(([field, n]) => partNames(field, n).map((name) => [name, part])),
    ) as Record<string, typeof part>),
  })
  .transform((f: Record<string, string | undefined>) => ({
    title: f.title ?? '',
    plan: joinInputs(partNames('plan', PLAN_INPUT_PARTS.plan).map((name) => f[name])),
    list: joinInputs(partNames('list', PLAN_INPUT_PARTS.list).map((name) => f[name])),
  }))
  .refine((f) => f.plan.length > 0, { message: '请填写方案' })
  .refine((f) => f.list.length > 0, { message: '请填写名单' });

/** The commendation and incentive plan forms. */
export function registerPlanActions(router: CardActionRouter, plans: PlanService): void {
  router.wire(planButtons, {
    save: async (v, tap) => {
      const f = formOf(PlanForm, tap.formValue);
      const card = await plans.save(
        tap.operatorOpenId,
        { kind: v.k, year: v.y, title: f.title, plan: f.plan, list: f.list, id: v.id, version: v.v },
        tap.messageId ?? randomUUID(),
      );
      return done('草稿已保存', card);
    },
    edit: async (v, tap) => privateForm(await plans.editForm(tap.operatorOpenId, v.id)),
  });
}

function yearArgument(args: string, timeZone: string, now: () => Date): number | undefined {
  if (!args) return undefined;
  const period = parsePeriodWord(args, now(), timeZone);
  if (!period || period.kind !== 'year') throw new UserInputError('请写明年度，例如：2026年');
  return period.year;
}

/** `/表彰`: drafts a commendation plan and list. */
export function commendationCommand(plans: PlanService, timeZone: string, now: () => Date): Command {
  return {
    name: '表彰',
    audience: ['office'],
    aliases: ['commend'],
    usage: '/表彰 [年份]',
    summary: '起草河湖长制工作表彰方案和表彰名单，经主任会议审议、区级总河长审定后通报',
    example: '/表彰 2026年',
    async run(ctx) {
      await ctx.replyForm(
        '表彰工作方案',
        await plans.form(ctx.message.senderOpenId, 'commendation', yearArgument(ctx.args, timeZone, now)),
      );
    },
  };
}

/** `/激励 [年份]`: drafts the incentive plan from the year's published ranking. */
export function incentiveCommand(plans: PlanService, timeZone: string, now: () => Date): Command {
  return {
    name: '激励',
    audience: ['office'],
    aliases: ['incentive'],
    usage: '/激励 [年份]',
    summary: '按通报的考核排名起草对排名靠前乡镇、部门的激励方案，报审定后通报',
    example: '/激励 2026年',
    async run(ctx) {
      await ctx.replyForm(
        '激励方案',
        await plans.form(ctx.message.senderOpenId, 'incentive', yearArgument(ctx.args, timeZone, now)),
      );
    },
  };
}
