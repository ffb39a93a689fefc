import { z } from 'zod';
import { MEETING_KIND_NAMES, MEETING_KINDS, type MeetingKind } from '../domain/meetings/meeting.js';
import { UserInputError } from '../errors.js';
import { DRAFT_KINDS, documentButtons } from '../feishu/cards/buttons/document-buttons.js';
import { DRAFT_INPUT_PARTS } from '../feishu/cards/document-cards.js';
import { joinInputs, partNames } from '../feishu/cards/limits.js';
import type { IncomingMessage } from '../feishu/inbound.js';
import type { DocumentService } from '../workflows/documents/document-service.js';
import type { MeetingService } from '../workflows/meetings/meeting-service.js';
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
import type { Interaction } from './interaction.js';

const optionalText = z.string().trim().max(1000, '每栏最多 1000 字，请接着写在下一栏').optional();
const ItemForm = z.object({
  text: z.string({ error: '请填写内容' }).trim().min(1, '请填写内容').max(1000, '内容过长，请精简到 1000 字以内'),
  unit: z.string({ error: '请选择责任单位' }).min(1, '请选择责任单位'),
  date: PickedDaySchema,
});
const ReturnForm = z.object({
  comment: z.string({ error: '请写明修改意见' }).trim().min(1, '请写明修改意见').max(1000),
});
const stringList = z.array(z.string().min(1).max(128)).max(200).default([]);
const ScheduleForm = z.object({
  kind: z.enum(MEETING_KINDS as [MeetingKind, ...MeetingKind[]], { error: '请选择会议类型' }),
  water: z.string().optional(),
  title: z.string().trim().max(100).optional(),
  date: PickedDaySchema,
  time: z.string({ error: '请填写开始时间，例如 09:30' }).trim().min(1, '请填写开始时间，例如 09:30'),
  place: z.string({ error: '请填写会议地点' }).trim().min(1, '请填写会议地点').max(100),
  units: stringList,
  people: stringList,
});
/** Each field of the drafting form comes in several inputs of ≤ 1000 characters (`goals`, `goals_2` …), joined here. */
const DraftForm = z
  .object(
    Object.fromEntries(
      Object.entries(DRAFT_INPUT_PARTS).flatMap(([field, n]) =>
        partNames(field, n).map((name) => [name, optionalText]),
      ),
    ),
  )
  .transform((f) => {
    const field = (name: keyof typeof DRAFT_INPUT_PARTS) =>
      joinInputs(partNames(name, DRAFT_INPUT_PARTS[name]).map((part) => f[part])) || undefined;
    return {
      goals: field('goals'),
      problems: field('problems'),
      tasks: field('tasks'),
      responsibilities: field('responsibilities'),
      body: field('body'),
    };
  });

/** The buttons on meeting and document cards, and the scheduling and drafting forms. */
export function registerDocumentActions(
  router: CardActionRouter,
  documents: DocumentService,
  meetings: MeetingService,
): void {
  // A stale or concurrent tap is refused with the card as it now stands.
  const refreshed = (operator: string, docId: string, messageId: string | undefined, work: () => Promise<TapAnswer>) =>
    refreshedOnStale(work, () => documents.view(operator, docId, messageId));

  router.wire(documentButtons, {
    view: async (v, tap) => ({ card: await documents.view(tap.operatorOpenId, v.id, tap.messageId, v.p) }),
    itemForm: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
        privateForm(await documents.itemForm(tap.operatorOpenId, v.id, v.v, v.n)),
      ),
    saveItem: {
      once: true,
      run: (v, tap) => {
        const f = formOf(ItemForm, tap.formValue);
        return refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
          done(
            '已保存',
            await documents.saveItem(
              tap.operatorOpenId,
              v.id,
              v.v,
              { n: v.n, text: f.text, unitId: f.unit, deadline: f.date },
              tap.messageId,
            ),
          ),
        );
      },
    },
    removeItem: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
        done('已删除', await documents.removeItem(tap.operatorOpenId, v.id, v.v, v.n, tap.messageId)),
      ),
    submit: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
        done('已提交审定', await documents.submit(tap.operatorOpenId, v.id, v.v, tap.messageId)),
      ),
    approve: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
        done('已审定通过并印发', await documents.approve(tap.operatorOpenId, v.id, v.v, tap.messageId)),
      ),
    return: (v, tap) => {
      const f = formOf(ReturnForm, tap.formValue);
      return refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
        done('已退回修改', await documents.returnDraft(tap.operatorOpenId, v.id, v.v, f.comment, tap.messageId)),
      );
    },
    create: {
      once: true,
      run: async (v, tap) => {
        const f = formOf(DraftForm, tap.formValue);
        return done('草稿已生成', await meetings.createDraft(tap.operatorOpenId, v.k, v.w, f, tap.messageId));
      },
    },
    cancelMeeting: (v, tap) =>
      refreshed(tap.operatorOpenId, v.id, tap.messageId, async () =>
        done('会议已取消，已通知参会人员', await meetings.cancel(tap.operatorOpenId, v.id, tap.messageId)),
      ),
    createMeeting: {
      once: true,
      run: async (_v, tap) => {
        const f = formOf(ScheduleForm, tap.formValue);
        const card = await meetings.schedule(
          tap.operatorOpenId,
          {
            kind: f.kind,
            waterBodyId: f.water || undefined,
            title: f.title,
            day: f.date,
            time: f.time,
            place: f.place,
            units: f.units,
            people: f.people,
          },
          tap.messageId,
        );
        return done('会议通知已发出', card);
      },
    },
  });
}

const KIND_BY_NAME = new Map<string, MeetingKind>(
  MEETING_KINDS.flatMap((k) => [[MEETING_KIND_NAMES[k], k] as [string, MeetingKind], [k, k] as [string, MeetingKind]]),
);

/** `/安排会议 [会议类型]`: the scheduling form. */
export function scheduleCommand(meetings: MeetingService): Command {
  return {
    name: '安排会议',
    audience: ['office', 'liaison'],
    aliases: ['schedule'],
    usage: '/安排会议 [会议类型]',
    summary: '安排总河长会议、巡河现场会议、流域专题会议、联席会议等，向参会人员发出会议通知',
    example: '/安排会议 巡河现场会议',
    async run(ctx) {
      const word = ctx.args.split(/\s+/)[0] ?? '';
      const kind = word ? KIND_BY_NAME.get(word) : undefined;
      if (word && !kind)
        throw new UserInputError(
          `没有“${word}”这类会议，可选：${MEETING_KINDS.map((k) => MEETING_KIND_NAMES[k]).join('、')}`,
        );
      await ctx.replyForm('安排会议', await meetings.scheduleForm(ctx.message.senderOpenId, kind));
    },
  };
}

const DRAFT_BY_NAME: Record<string, (typeof DRAFT_KINDS)[number]> = {
  四张清单: 'fourLists',
  一河一策: 'waterBodyPlan',
  一湖一策: 'waterBodyPlan',
  '一河（湖）一策': 'waterBodyPlan',
  健康评价报告: 'healthReport',
  健康评价: 'healthReport',
};

/** `/起草 四张清单 大渡河`: the form for a water body's document. */
export function draftCommand(meetings: MeetingService): Command {
  return {
    name: '起草',
    audience: ['office', 'liaison'],
    aliases: ['draft'],
    usage: '/起草 四张清单|一河一策|健康评价报告 河湖',
    summary: '起草河湖的“四张清单”、一河（湖）一策方案或健康评价报告，报区级河湖长审定',
    example: '/起草 四张清单 大渡河',
    async run(ctx) {
      const [word = '', ...rest] = ctx.args.split(/\s+/);
      const kind = DRAFT_BY_NAME[word];
      if (!kind)
        throw new UserInputError(
          '请写明起草什么，例如：/起草 四张清单 大渡河（可选：四张清单、一河一策、健康评价报告）',
        );
      await ctx.replyForm(`起草${word}`, await meetings.draftForm(ctx.message.senderOpenId, kind, rest.join(' ')));
    },
  };
}

/**
 * `/议定 内容`: a decision for the sender's meeting (in a meeting card's thread, that
 * meeting); `/议定` alone: the decisions not yet closed.
 */
export function decideCommand(documents: DocumentService, queries: QueryService): Command {
  return {
    name: '议定',
    audience: ['office', 'chief', 'liaison', 'unit'],
    aliases: ['decide', 'decisions'],
    usage: '/议定 [议定事项（写明责任单位和完成时限）]',
    summary: '记录会议议定事项，印发后交办责任单位跟踪督办；不带内容时列出未办结的议定事项',
    example: '/议定 由永和镇负责，12月31日前完成滨河路段清淤',
    async run(ctx) {
      if (!ctx.args) {
        await ctx.reply({ kind: 'card', card: await queries.decisions(ctx.message.senderOpenId) });
        return;
      }
      const answer = await documents.decide(ctx.message.senderOpenId, ctx.args.split('\n'), ctx.message.rootId);
      await ctx.reply({ kind: 'text', text: answer });
    },
  };
}

/** `/会议`: upcoming meetings and minutes waiting for approval. */
export function meetingsCommand(queries: QueryService): Command {
  return {
    name: '会议',
    audience: ['office', 'chief', 'liaison', 'unit'],
    aliases: ['meetings'],
    usage: '/会议',
    summary: '查看即将召开的会议和待审定的纪要、文件',
    example: '/会议',
    async run(ctx) {
      await ctx.reply({ kind: 'card', card: await queries.meetings(ctx.message.senderOpenId) });
    },
  };
}

const FileSchema = z.object({ file_key: z.string().min(1), file_name: z.string().min(1).max(255).default('附件') });

/**
 * Replies in the thread of a meeting's or document's card: lines starting 议定： (or 任务：)
 * become items; a file is attached to the draft. Anything else is left to other handlers.
 */
export class DocumentThreadReplies {
  constructor(private readonly documents: DocumentService) {}

  async handle(message: IncomingMessage, ctx: Interaction): Promise<boolean> {
    if (!message.rootId) return false;
    let answer: string | undefined;
    if (message.messageType === 'file') {
      const file = FileSchema.safeParse(message.content);
      if (!file.success) return false;
      answer = await this.documents.attachFromThread(message.senderOpenId, message.rootId, {
        messageId: message.messageId,
        fileKey: file.data.file_key,
        name: file.data.file_name,
      });
    } else if ((message.messageType === 'text' || message.messageType === 'post') && !message.text.startsWith('/')) {
      // A rich-text reply (words with a picture or formatting) is read for its 议定： lines too.
      answer = await this.documents.linesFromThread(message.senderOpenId, message.rootId, message.text);
    }
    if (answer === undefined) return false;
    ctx.log.info({ kind: message.messageType }, 'document thread reply handled');
    await ctx.reply({ kind: 'text', text: answer });
    return true;
  }
}
