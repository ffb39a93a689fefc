import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sanctionButtons } from '../feishu/cards/buttons/sanction-buttons.js';
import { joinInputs } from '../feishu/cards/limits.js';
import type { Issued, SanctionService } from '../workflows/accountability/sanction-service.js';
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

const text = (name: string, max: number) =>
  z
    .string({ error: `请填写${name}` })
    .trim()
    .min(1, `请填写${name}`)
    .max(max, `${name}过长，请精简到 ${max} 字以内`);
const refs = z.string().trim().max(200, '问题编号过多').optional().default('');
const NoticeForm = z.object({
  kind: z.enum(['prompt', 'bulletin', 'praise'], { error: '请选择提示或通报' }),
  unit: z.string({ error: '请选择单位' }).min(1, '请选择单位'),
  reason: text('事由', 1000),
  issues: refs,
});
const AdmonitionForm = z.object({
  unit: z.string({ error: '请选择被约谈单位' }).min(1, '请选择被约谈单位'),
  interviewee: text('约谈对象', 100),
  initiator: z.string({ error: '请选择约谈发起人' }).min(1, '请选择约谈发起人'),
  reason: text('约谈事由', 1000),
  issues: refs,
  date: PickedDaySchema,
  time: text('开始时间，例如 09:30', 5),
  place: text('地点', 100),
  people: z.array(z.string().min(1).max(128)).max(200).default([]),
});
/** The record comes in two inputs of ≤ 1000 characters (an input's limit), joined here. */
const RecordForm = z
  .object({
    record: text('约谈记录', 1000),
    record_2: z.string().trim().max(1000).optional(),
    commitments: text('整改承诺', 1000),
    date: PickedDaySchema,
  })
  .transform(({ record_2, ...f }) => ({ ...f, record: joinInputs([f.record, record_2]) }));
const ReviewForm = z.object({
  outcome: z.enum(['fulfilled', 'unfulfilled'], { error: '请选择复核结果' }),
  note: text('复核情况', 1000),
});
const ReferForm = z.object({
  body: text('接收单位', 100),
  date: PickedDaySchema,
  note: z.string().trim().max(1000).optional().default(''),
});

/** The 提示/通报 and 约谈 forms and the buttons on their cards. */
export function registerSanctionActions(router: CardActionRouter, sanctions: SanctionService): void {
  const refreshed = (operator: string, sanctionId: string, work: () => Promise<TapAnswer>) =>
    refreshedOnStale(work, () => sanctions.card(operator, sanctionId));
  // Recorded either way; the issuer is told when the unit has nobody in the directory to receive it.
  const answer = (issued: Issued, content: string): TapAnswer =>
    issued.unreachableUnit
      ? {
          toast: {
            type: 'warning',
            content: `已记录，但${issued.unreachableUnit}在组织名录中没有群聊或成员，未能送达，请补充名录后转告该单位。`,
          },
          card: issued.card,
        }
      : done(content, issued.card);

  router.wire(sanctionButtons, {
    issue: async (_v, tap) => {
      const f = formOf(NoticeForm, tap.formValue);
      const kind = f.kind === 'praise' ? 'bulletin' : f.kind;
      const issued = await sanctions.issueNotice(
        tap.operatorOpenId,
        { kind, praise: f.kind === 'praise', unitId: f.unit, reason: f.reason, issueRefs: f.issues },
        tap.messageId ?? randomUUID(),
      );
      return answer(issued, f.kind === 'prompt' ? '提示已发出' : '通报已发出');
    },
    view: async (v, tap) => ({ card: await sanctions.card(tap.operatorOpenId, v.id) }),
    scheduleAdmonition: async (_v, tap) => {
      const f = formOf(AdmonitionForm, tap.formValue);
      const issued = await sanctions.scheduleAdmonition(
        tap.operatorOpenId,
        {
          unitId: f.unit,
          initiatorId: f.initiator,
          interviewee: f.interviewee,
          reason: f.reason,
          issueRefs: f.issues,
          day: f.date,
          time: f.time,
          place: f.place,
          participants: f.people,
        },
        tap.messageId ?? randomUUID(),
      );
      return answer(issued, '约谈通知已发出');
    },
    stepForm: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, async () =>
        privateForm(await sanctions.stepForm(tap.operatorOpenId, v.id, v.v, v.s)),
      ),
    step: (v, tap) => {
      const step = () => {
        if (v.s === 'record') {
          const f = formOf(RecordForm, tap.formValue);
          return { step: 'record' as const, record: f.record, commitments: f.commitments, reviewOn: f.date };
        }
        if (v.s === 'review') {
          const f = formOf(ReviewForm, tap.formValue);
          return { step: 'review' as const, outcome: f.outcome, note: f.note };
        }
        const f = formOf(ReferForm, tap.formValue);
        return { step: 'refer' as const, body: f.body, on: f.date, note: f.note };
      };
      const parsed = step();
      const toast = { record: '约谈情况已记录', review: '复核结果已记录', refer: '问题线索移交已记录' }[v.s];
      return refreshed(tap.operatorOpenId, v.id, async () =>
        done(toast, await sanctions.step(tap.operatorOpenId, v.id, v.v, parsed)),
      );
    },
  });
}

function noticeCommand(sanctions: SanctionService, kind: 'prompt' | 'bulletin'): Command {
  const name = kind === 'prompt' ? '提示' : '通报';
  return {
    name,
    audience: ['office'],
    aliases: [kind],
    usage: `/${name} [单位] [事由]`,
    summary: `向乡镇或部门发出河湖长制${name}（计入年度考核扣分）`,
    example: `/${name} 永和镇 大渡河岸坡垮塌问题逾期未整改`,
    async run(ctx) {
      await ctx.replyForm(name, await sanctions.noticeForm(ctx.message.senderOpenId, kind, ctx.args));
    },
  };
}

export const promptCommand = (sanctions: SanctionService) => noticeCommand(sanctions, 'prompt');
export const bulletinCommand = (sanctions: SanctionService) => noticeCommand(sanctions, 'bulletin');

/** `/约谈 [单位]`: the form to arrange a 约谈. */
export function admonitionCommand(sanctions: SanctionService): Command {
  return {
    name: '约谈',
    audience: ['office', 'chief'],
    aliases: ['admonition'],
    usage: '/约谈 [单位]',
    summary: '安排河湖长制约谈，记录约谈情况和整改承诺，到期提醒复核，必要时移交问题线索',
    example: '/约谈 金河镇',
    async run(ctx) {
      await ctx.replyForm('安排约谈', await sanctions.admonitionForm(ctx.message.senderOpenId, ctx.args));
    },
  };
}
