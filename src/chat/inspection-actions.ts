import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FINDING_ASPECTS } from '../domain/inspections/inspection.js';
import type { InspectionService } from '../workflows/inspections/inspection-service.js';
import {
  ActionValueSchema,
  type CardActionRouter,
  cardValue,
  done,
  formOf,
  PickedDaySchema,
  privateForm,
  refreshedOnStale,
  type TapAnswer,
} from './card-actions.js';
import type { Command } from './commands/command.js';

const id = z.string().min(1).max(128);
const ViewButton = ActionValueSchema.extend({ id });
const VersionedButton = ActionValueSchema.extend({ id, v: z.number().int().positive() });
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

  router.register(
    'inspection.create',
    async (input) => {
      const f = formOf(CreateForm, input.formValue);
      const card = await inspections.create(
        input.operatorOpenId,
        { title: f.title, waterBodyId: f.water || undefined, from: f.from, to: f.to },
        input.messageId ?? randomUUID(),
      );
      return done('督查已开始', card);
    },
    { once: true },
  );
  router.register('inspection.view', async (input) => {
    const v = cardValue(ViewButton, input.action);
    return { card: await inspections.card(input.operatorOpenId, v.id) };
  });
  router.register('inspection.findingForm', async (input) => {
    const v = cardValue(VersionedButton, input.action);
    return refreshed(input.operatorOpenId, v.id, async () =>
      privateForm(await inspections.findingForm(input.operatorOpenId, v.id, v.v)),
    );
  });
  router.register(
    'inspection.addFinding',
    async (input) => {
      const v = cardValue(VersionedButton, input.action);
      const f = formOf(FindingForm, input.formValue);
      const card = await inspections.addFinding(input.operatorOpenId, v.id, v.v, {
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
    { once: true },
  );
  router.register('inspection.report', async (input) => {
    const v = cardValue(ViewButton, input.action);
    return done('督查报告已报送', await inspections.report(input.operatorOpenId, v.id));
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
