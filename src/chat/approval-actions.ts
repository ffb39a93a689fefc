import { z } from 'zod';
import { parsePeriodWord } from '../domain/queries/period-words.js';
import { UserInputError } from '../errors.js';
import type { CardActionResponse } from '../feishu/inbound.js';
import type { ApprovalService } from '../workflows/approvals/approval-service.js';
import type { AssessmentService } from '../workflows/assessment/assessment-service.js';
import { ActionValueSchema, cardValue, formOf, refreshedOnStale, type CardActionRouter } from './card-actions.js';
import type { Command } from './commands/command.js';

const id = z.string().min(1).max(128);
const StepButton = ActionValueSchema.extend({ id, v: z.number().int().positive() });
const ViewButton = ActionValueSchema.extend({ id });
const CommentForm = z.object({ comment: z.string().trim().max(1000, '意见过长，请精简到 1000 字以内').optional().default('') });

/** The buttons of every record on an approval chain, and the assessment's export. */
export function registerApprovalActions(router: CardActionRouter, chain: ApprovalService, assessment: AssessmentService): void {
  const done = (content: string, card: Record<string, unknown>): CardActionResponse => ({ toast: { type: 'success', content }, card });
  const refreshed = (operator: string, approvalId: string, work: () => Promise<CardActionResponse>) => refreshedOnStale(work, () => chain.card(operator, approvalId));

  router.register('approval.submit', async (input) => {
    const v = cardValue(StepButton, input.action);
    return refreshed(input.operatorOpenId, v.id, async () => done('已提交审核', await chain.submit(input.operatorOpenId, v.id, v.v)));
  });
  router.register('approval.pass', async (input) => {
    const v = cardValue(StepButton, input.action);
    return refreshed(input.operatorOpenId, v.id, async () => done('已通过', await chain.pass(input.operatorOpenId, v.id, v.v)));
  });
  router.register('approval.return', async (input) => {
    const v = cardValue(StepButton, input.action);
    const f = formOf(CommentForm, input.formValue);
    return refreshed(input.operatorOpenId, v.id, async () => done('已退回上一环节', await chain.return(input.operatorOpenId, v.id, v.v, f.comment)));
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
      let year: number | undefined;
      if (ctx.args) {
        const period = parsePeriodWord(ctx.args, now(), timeZone);
        if (!period || period.kind !== 'year') throw new UserInputError('请写明年度，例如：/考核 2026年');
        year = period.year;
      }
      await ctx.reply({ kind: 'card', card: await assessment.card(ctx.message.senderOpenId, year) });
    },
  };
}
