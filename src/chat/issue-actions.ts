import { z } from 'zod';
import { ISSUE_CATEGORIES, parseIssueRef } from '../domain/issues/issue.js';
import { UserInputError } from '../errors.js';
import { ISSUE_STEPS, type IssueStep, issueButtons } from '../feishu/cards/buttons/issue-buttons.js';
import type { ActionInput, IssueService } from '../workflows/issues/issue-service.js';
import type { IssueSupervision } from '../workflows/issues/supervision.js';
import type { QueryService } from '../workflows/queries/query-service.js';
import {
  type CardActionRouter,
  done,
  formOf,
  PickedDaySchema,
  privateForm,
  refreshedOnStale,
  type TapAnswer,
} from './card-actions.js';
import type { Command } from './commands/command.js';
import { photosOf } from './message-photos.js';

const text = (message: string) =>
  z.string({ error: message }).trim().min(1, message).max(1000, '内容过长，请精简到 1000 字以内');

/** Each action's form fields, with the Chinese answer for what is missing. */
const FORMS = {
  assign: z.object({
    unit: z.string({ error: '请选择承办单位' }).min(1, '请选择承办单位'),
    department: z.string().optional(),
    date: PickedDaySchema,
    text: text('请填写整改要求'),
  }),
  returnResponsibility: z.object({ text: text('请说明退回理由') }),
  progress: z.object({ text: text('请填写进展内容') }),
  requestClose: z.object({ text: text('请说明整改情况并附佐证') }),
  verifyFail: z.object({ text: text('请说明退回整改的理由') }),
  requestExtension: z.object({ date: PickedDaySchema, text: text('请说明延期理由') }),
  rejectExtension: z.object({ text: text('请说明不同意延期的理由') }),
};

/** The action a button and its form stand for. */
function actionInput(type: IssueStep, formValue: Record<string, unknown> | undefined): ActionInput {
  switch (type) {
    case 'assign': {
      const f = formOf(FORMS.assign, formValue);
      return { type, unit: f.unit, department: f.department || undefined, deadline: f.date, requirement: f.text };
    }
    case 'requestExtension': {
      const f = formOf(FORMS.requestExtension, formValue);
      return { type, until: f.date, reason: f.text };
    }
    case 'returnResponsibility':
    case 'verifyFail':
    case 'rejectExtension':
      return { type, reason: formOf(FORMS[type], formValue).text };
    case 'progress':
      return { type, note: formOf(FORMS.progress, formValue).text };
    case 'requestClose':
      return { type, evidence: formOf(FORMS.requestClose, formValue).text };
    default:
      return { type };
  }
}

const RegisterSchema = z.object({
  water: z.string({ error: '请选择河湖' }).min(1, '请选择河湖'),
  township: z.string().optional(),
  place: z.string().trim().max(200).default(''),
  description: text('请填写问题描述'),
  category: z.enum(ISSUE_CATEGORIES, { error: '请选择问题类别' }).default('其他'),
  urgency: z.enum(['normal', 'expedited', 'urgent'], { error: '请选择紧急程度' }).default('normal'),
});

/** The buttons on problem cards, the registration form, and the office's 提示/通报 decision. */
export function registerIssueActions(
  router: CardActionRouter,
  issues: IssueService,
  supervision: IssueSupervision,
): void {
  // A stale or concurrent tap is refused with the card as it now stands.
  const refreshed = (operator: string, id: string, messageId: string | undefined, work: () => Promise<TapAnswer>) =>
    refreshedOnStale(work, () => issues.view(operator, id, messageId));
  router.wire(issueButtons, {
    view: async (v, tap) => ({ card: await issues.view(tap.operatorOpenId, v.id, tap.messageId) }),
    form: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
        privateForm(await issues.openForm(tap.operatorOpenId, v.id, v.v, v.t)),
      ),
    // Steps without a form (接收, 核查通过) carry no form values and are not claimed.
    act: {
      once: true,
      run: (v, tap, ctx) => {
        const action = actionInput(v.t, tap.formValue);
        return refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
          done(ISSUE_STEPS[v.t].done, await issues.act(ctx.operator, v.id, v.v, action, ctx.eventId, tap.messageId)),
        );
      },
    },
    create: {
      once: true,
      run: async (_v, tap) => {
        const f = formOf(RegisterSchema, tap.formValue);
        const card = await issues.register(
          tap.operatorOpenId,
          {
            waterBodyId: f.water,
            townshipId: f.township || undefined,
            place: f.place,
            description: f.description,
            category: f.category,
            urgency: f.urgency,
          },
          tap.messageId,
        );
        return done('问题已登记，已送区河长制办公室交办', card);
      },
    },
    // A withdrawn patrol's problems, on the card listing them to its recorder: the list answers.
    withdrawFromPatrol: (v, tap) =>
      refreshedOnStale(
        async () => done('问题已撤销', await issues.withdrawFromPatrol(tap.operatorOpenId, v.id, v.v)),
        () => issues.withdrawalCardOf(v.id),
      ),
    keepFromPatrol: (v, tap) =>
      refreshedOnStale(
        async () => done('问题已保留，继续办理', await issues.keepFromPatrol(tap.operatorOpenId, v.id, v.v)),
        () => issues.withdrawalCardOf(v.id),
      ),
    decideNotice: (v, tap) =>
      refreshedOnStale(
        async () =>
          done(
            v.k === 'dismiss' ? '已记录：暂不处理' : '已确认，计入年度考核',
            await supervision.decide(tap.operatorOpenId, v.id, v.k),
          ),
        () => supervision.card(v.id),
      ),
  });
}

/** `/登记`: the registration form. */
export function registerCommand(issues: IssueService): Command {
  return {
    name: '登记',
    audience: ['office', 'liaison', 'chief'],
    aliases: ['report'],
    usage: '/登记',
    summary: '登记发现的问题，送区河长制办公室交办',
    example: '/登记',
    async run(ctx) {
      await ctx.replyForm('登记问题', await issues.registerForm(ctx.message.senderOpenId));
    },
  };
}

/** `/进展 0042 内容`: a progress note from anywhere. */
export function progressCommand(issues: IssueService): Command {
  return {
    name: '进展',
    audience: ['office', 'chief', 'liaison', 'unit'],
    aliases: ['progress'],
    usage: '/进展 问题编号 进展内容',
    summary: '报送问题整改进展（也可直接在问题卡片所在话题回复）',
    example: '/进展 0042 已清运建筑垃圾约一半，预计周五完成',
    async run(ctx) {
      const [, ref, note = ''] = /^(\S+)\s*([\s\S]*)$/.exec(ctx.args) ?? [];
      if (!ref) throw new UserInputError('请写明问题编号和进展，例如：/进展 0042 已清运一半');
      // Photos pasted into the same rich-text message go with the note.
      await ctx.reply({
        kind: 'text',
        text: await issues.progressByRef(
          ctx.message.senderOpenId,
          ref,
          note,
          ctx.message.messageId || ref,
          photosOf(ctx.message),
        ),
      });
    },
  };
}

/** `/问题 0042`: one problem's card with its history; `/问题 [河湖|单位] [状态]`: a list. */
export function issueCommand(issues: IssueService, queries: QueryService): Command {
  return {
    name: '问题',
    audience: ['office', 'chief', 'liaison', 'unit'],
    aliases: ['issue', 'issues'],
    usage: '/问题 [编号 | 河湖 | 单位] [状态]',
    summary: '查看一个问题的办理情况，或按河湖、单位、状态列出问题',
    example: '/问题 大渡河 逾期',
    async run(ctx) {
      const words = ctx.args.split(/\s+/).filter(Boolean);
      if (words.length === 1 && parseIssueRef(words[0] ?? '')) {
        const { card } = await issues.cardByRef(ctx.message.senderOpenId, words[0] ?? '');
        await ctx.reply({ kind: 'card', card });
        return;
      }
      await ctx.reply({ kind: 'card', card: await queries.issues(ctx.message.senderOpenId, ctx.args) });
    },
  };
}
