import { z } from 'zod';
import { monthDay } from '../domain/time/format.js';
import { UserInputError } from '../errors.js';
import { patrolButtons } from '../feishu/cards/buttons/patrol-buttons.js';
import type { PatrolService } from '../workflows/patrols/patrol-service.js';
import type { QueryService } from '../workflows/queries/query-service.js';
import {
  type CardActionRouter,
  cardValue,
  done,
  PickedDaySchema,
  privateForm,
  refreshedOnStale,
  type TapAnswer,
} from './card-actions.js';
import type { Command } from './commands/command.js';

const PatrolFormSchema = z.object({
  date: PickedDaySchema,
  observations: z.string().default(''),
  problems: z.string().default(''),
  /** 补记说明: required by the workflow when the date is outside the current period. */
  lateReason: z.string().default(''),
});

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

function formInput(formValue: Record<string, unknown> | undefined) {
  const form = PatrolFormSchema.safeParse(formValue ?? {});
  if (!form.success) throw new UserInputError('请填写巡河日期', form.error.issues);
  return {
    day: form.data.date,
    observations: form.data.observations,
    problems: lines(form.data.problems),
    lateReason: form.data.lateReason.trim(),
  };
}

const FocusFormSchema = z.object({ clues: z.string().default(''), requests: z.string().default('') });

/** The buttons on patrol reminder cards (记录巡河, 已安排, 查看责任河湖) and the form they open. */
export function registerPatrolActions(router: CardActionRouter, patrols: PatrolService): void {
  // A stale correction or withdrawal is refused with the card as it now stands.
  const refreshed = (v: { d: string; p: string }, work: () => Promise<TapAnswer>) =>
    refreshedOnStale(work, () => patrols.currentCard(v.d, v.p));
  router.wire(patrolButtons, {
    form: async (v, tap) => privateForm(await patrols.openForm(tap.operatorOpenId, v.d, v.p)),
    reminder: async (v) => ({ card: await patrols.currentCard(v.d, v.p) }),
    submit: {
      once: true,
      run: async (v, tap) =>
        done('巡河已记录', await patrols.submit(tap.operatorOpenId, v.d, v.p, formInput(tap.formValue))),
    },
    edit: (v, tap) =>
      refreshed(v, async () => privateForm(await patrols.openCorrection(tap.operatorOpenId, v.d, v.p, v.id, v.v))),
    correct: {
      once: true,
      run: (v, tap) =>
        refreshed(v, async () =>
          done(
            '巡河记录已更正',
            await patrols.correct(tap.operatorOpenId, v.d, v.p, v.id, v.v, formInput(tap.formValue)),
          ),
        ),
    },
    withdraw: (v, tap) =>
      refreshed(v, async () => done('巡河记录已撤回', await patrols.withdraw(tap.operatorOpenId, v.d, v.p, v.id, v.v))),
    plan: async (v, tap) => {
      const day = PickedDaySchema.safeParse(tap.option ?? '');
      if (!day.success) throw new UserInputError('请选择计划巡河的日期');
      const card = await patrols.plan(tap.operatorOpenId, v.d, v.p, day.data);
      return done(`已安排于${monthDay(day.data)}巡河，届时前不再提醒`, card);
    },
    focus: async (v, tap) => {
      const form = cardValue(FocusFormSchema, tap.formValue ?? {});
      const card = await patrols.submitFocus(tap.operatorOpenId, v.w, v.p, lines(form.clues), lines(form.requests));
      return done('已报送，将显示在河湖长的巡河提醒上', card);
    },
    duties: async (_v, _tap, ctx) => {
      // Sent privately: in a group the reminder card must stay as it is for everyone else.
      await ctx.send({ kind: 'card', card: await patrols.dutyList(ctx.operator) }, 'duties');
      return { toast: { type: 'info', content: '已私信发送您的责任河湖' } };
    },
  });
}

/** `/重难点 河湖 条目…`: the liaison unit sets a water body's 重难点问题 (art. 9). */
export function keyProblemsCommand(patrols: PatrolService): Command {
  return {
    name: '重难点',
    audience: ['office', 'liaison'],
    aliases: ['keyproblems'],
    usage: '/重难点 河湖名 问题（每行或以“；”分隔一条）',
    summary: '联络员单位更新河湖的重难点问题，显示在河湖长的巡河提醒上',
    example: '/重难点 野牛河 金河镇段汛期河道淤积；沿河养殖废水收集不全',
    async run(ctx) {
      const [, water, rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(ctx.args) ?? [];
      const items = rest
        .split(/[；;\n]/)
        .map((s) => s.replace(/^\d+[.、．]\s*/, '').trim())
        .filter(Boolean);
      if (!water) throw new UserInputError('请写明河湖名称，例如：/重难点 野牛河 汛期河道淤积');
      const result = await patrols.setKeyProblems(ctx.message.senderOpenId, water, items);
      await ctx.reply({
        kind: 'text',
        text:
          result.count > 0
            ? `已更新${result.waterBodyName}的重难点问题，共 ${result.count} 条。`
            : `已清空${result.waterBodyName}的重难点问题。`,
      });
    },
  };
}

/** `/巡河` `/patrol`: my duties this period, each with a 记录巡河 button. */
export function patrolCommand(patrols: PatrolService, queries: QueryService): Command {
  return {
    name: '巡河',
    audience: ['office', 'chief', 'liaison', 'unit'],
    aliases: ['patrol', 'patrols'],
    usage: '/巡河 [河湖|河湖长] [月份|季度|年份]',
    summary: '不带参数：本人责任河湖本期巡河情况并记录巡河；带参数：查看谁已巡河、谁未巡河',
    example: '/巡河 大渡河 上季度',
    async run(ctx) {
      if (!ctx.args) {
        await ctx.reply({ kind: 'card', card: await patrols.dutyList(ctx.message.senderOpenId) });
        return;
      }
      await ctx.reply({ kind: 'card', card: await queries.patrols(ctx.message.senderOpenId, ctx.args) });
    },
  };
}
