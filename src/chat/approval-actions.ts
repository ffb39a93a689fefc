import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parsePeriodWord } from '../domain/queries/period-words.js';
import { UserInputError } from '../errors.js';
import { joinInputs, partNames } from '../feishu/cards/limits.js';
import { PLAN_INPUT_PARTS } from '../feishu/cards/plan-cards.js';
import type { ApprovalService } from '../workflows/approvals/approval-service.js';
import type { AssessmentService } from '../workflows/assessment/assessment-service.js';
import type { PlanService } from '../workflows/commendations/plan-service.js';
import {
  ActionValueSchema,
  type CardActionRouter,
  cardValue,
  done,
  formOf,
  privateForm,
  refreshedOnStale,
  type TapAnswer,
} from './card-actions.js';
import type { Command } from './commands/command.js';

const id = z.string().min(1).max(128);
const StepButton = ActionValueSchema.extend({ id, v: z.number().int().positive() });
const ViewButton = ActionValueSchema.extend({ id });
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

  router.register('approval.submit', async (input) => {
    const v = cardValue(StepButton, input.action);
    return refreshed(input.operatorOpenId, v.id, async () =>
      done('已提交审核', await chain.submit(input.operatorOpenId, v.id, v.v)),
    );
  });
  router.register('approval.pass', async (input) => {
    const v = cardValue(StepButton, input.action);
    return refreshed(input.operatorOpenId, v.id, async () =>
      done('已通过', await chain.pass(input.operatorOpenId, v.id, v.v)),
    );
  });
  router.register('approval.return', async (input) => {
    const v = cardValue(StepButton, input.action);
    const f = formOf(CommentForm, input.formValue);
    return refreshed(input.operatorOpenId, v.id, async () =>
      done('已退回上一环节', await chain.return(input.operatorOpenId, v.id, v.v, f.comment)),
    );
  });
  router.register('approval.view', async (input) => {
    const v = cardValue(ViewButton, input.action);
    return { card: await chain.card(input.operatorOpenId, v.id) };
  });
  router.register('assessment.export', async (input) => {
    const v = cardValue(ViewButton, input.action);
    await assessment.sendWorkbook(input.operatorOpenId, v.id, input.messageId ?? v.id);
    return { toast: { type: 'success', content: '考核明细已发送到您的单聊' } };
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

const PlanSave = ActionValueSchema.extend({
  k: z.enum(['commendation', 'incentive']),
  y: z.number().int().min(2000).max(2100),
  id: id.optional(),
  v: z.number().int().positive().optional(),
});
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
  router.register('plan.save', async (input) => {
    const v = cardValue(PlanSave, input.action);
    const f = formOf(PlanForm, input.formValue);
    const card = await plans.save(
      input.operatorOpenId,
      { kind: v.k, year: v.y, title: f.title, plan: f.plan, list: f.list, id: v.id, version: v.v },
      input.messageId ?? randomUUID(),
    );
    return { toast: { type: 'success', content: '草稿已保存' }, card };
  });
  router.register('plan.edit', async (input) => {
    const v = cardValue(ViewButton, input.action);
    return privateForm(await plans.editForm(input.operatorOpenId, v.id));
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
