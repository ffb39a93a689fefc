import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FINDING_ASPECTS } from '../domain/inspections/inspection.js';
import { inspectionButtons } from '../feishu/cards/buttons/inspection-buttons.js';
import type { InspectionService } from '../workflows/inspections/inspection-service.js';
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

const CreateForm = z.object({
  title: z.string({ error: '请填写督查名称' }).trim().min(1, '请填写督查名称').max(100),
  water: z.string().optional(),
  from: PickedDaySchema,
  to: PickedDaySchema,
});
const FindingForm = z.object({
  aspect: z.enum(FINDING_ASPECTS, { error: '请选择督查内容' }),
  text: z
    .string({ error: '请填写发现的问题' })
    .trim()
    .min(1, '请填写发现的问题')
    .max(1000, '内容过长，请精简到 1000 字以内'),
  water: z.string({ error: '请选择河湖' }).min(1, '请选择河湖'),
  township: z.string({ error: '请选择负责整改的乡镇' }).min(1, '请选择负责整改的乡镇'),
  department: z.string().optional(),
  date: PickedDaySchema,
  requirement: z.string().trim().max(500).optional(),
});

/** The inspection form, its card's buttons and the finding form. */
export function registerInspectionActions(router: CardActionRouter, inspections: InspectionService): void {
  const refreshed = (operator: string, inspectionId: string, work: () => Promise<TapAnswer>) =>
    refreshedOnStale(work, () => inspections.card(operator, inspectionId));

  router.wire(inspectionButtons, {
    create: {
      once: true,
      run: async (_v, tap) => {
        const f = formOf(CreateForm, tap.formValue);
        const card = await inspections.create(
          tap.operatorOpenId,
          { title: f.title, waterBodyId: f.water || undefined, from: f.from, to: f.to },
          tap.messageId ?? randomUUID(),
        );
        return done('督查已开始', card);
      },
    },
    view: async (v, tap) => ({ card: await inspections.card(tap.operatorOpenId, v.id) }),
    findingForm: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, async () =>
        privateForm(await inspections.findingForm(tap.operatorOpenId, v.id, v.v)),
      ),
    addFinding: {
      once: true,
      run: async (v, tap) => {
        const f = formOf(FindingForm, tap.formValue);
        const card = await inspections.addFinding(tap.operatorOpenId, v.id, v.v, {
          aspect: f.aspect,
          text: f.text,
          waterBodyId: f.water,
          townshipId: f.township,
          departmentId: f.department || undefined,
          deadline: f.date,
          requirement: f.requirement || '按期整改到位并报送整改情况',
        });
        return done('已交办乡镇整改', card);
      },
    },
    report: async (v, tap) => done('督查报告已报送', await inspections.report(tap.operatorOpenId, v.id)),
  });
}

/** `/督查`: opens an inspection. */
export function inspectionCommand(inspections: InspectionService): Command {
  return {
    name: '督查',
    audience: ['office', 'liaison'],
    aliases: ['inspect'],
    usage: '/督查',
    summary: '开展河湖长制工作督查，逐项记录发现的问题并交办乡镇整改，报送督查报告',
    example: '/督查',
    async run(ctx) {
      await ctx.replyForm('开展督查', await inspections.form(ctx.message.senderOpenId));
    },
  };
}
