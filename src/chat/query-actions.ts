import { z } from 'zod';
import { messageKey } from '../domain/delivery/message-keys.js';
import type { Messenger } from '../workflows/ports.js';
import type { QueryService } from '../workflows/queries/query-service.js';
import { ActionValueSchema, type CardActionRouter, cardValue } from './card-actions.js';
import type { Command } from './commands/command.js';

/** A choice on an ambiguous-name card runs the query again with the chosen name. */
const QueryButton = ActionValueSchema.extend({ q: z.string().max(200) });

export function registerQueryActions(router: CardActionRouter, queries: QueryService, messenger: Messenger): void {
  router.register('query.issues', async (input) => {
    const v = cardValue(QueryButton, input.action);
    return { card: await queries.issues(input.operatorOpenId, v.q) };
  });
  router.register('query.patrols', async (input) => {
    const v = cardValue(QueryButton, input.action);
    return { card: await queries.patrols(input.operatorOpenId, v.q) };
  });
  // The ledger goes to the conversation the choice card is in, as `/导出` would have sent it.
  router.register('query.export', async (input) => {
    const v = cardValue(QueryButton, input.action);
    const answer = await queries.exportLedger(input.operatorOpenId, v.q);
    if ('choices' in answer) return { card: answer.choices };
    const to = input.chatId ? { chatId: input.chatId } : { openId: input.operatorOpenId };
    await messenger.send(
      messageKey('ledgerExport', { ref: input.messageId ?? input.operatorOpenId, query: v.q }),
      to,
      answer.file,
    );
    return { toast: { type: 'success', content: answer.summary } };
  });
}

/** `/导出 [台账] [范围]`: an .xlsx ledger sent to the conversation. */
export function exportCommand(queries: QueryService): Command {
  return {
    name: '导出',
    audience: ['office', 'chief', 'liaison', 'unit'],
    aliases: ['export'],
    usage: '/导出 [巡河台账|问题台账|议定事项台账] [本月|上季度|2026年…] [河湖|单位]',
    summary: '导出巡河台账、问题台账或议定事项台账（Excel），默认为本年问题台账',
    example: '/导出 巡河台账 上季度',
    async run(ctx) {
      const answer = await queries.exportLedger(ctx.message.senderOpenId, ctx.args);
      if ('choices' in answer) {
        await ctx.reply({ kind: 'card', card: answer.choices });
        return;
      }
      await ctx.sendFile(answer.file);
      await ctx.reply({ kind: 'text', text: answer.summary });
    },
  };
}

/** `/逾期`: everything overdue in the asker's view, by who must act. */
export function overdueCommand(queries: QueryService): Command {
  return {
    name: '逾期',
    audience: ['office', 'chief', 'liaison', 'unit'],
    aliases: ['overdue'],
    usage: '/逾期',
    summary: '逾期事项一览：未完成的巡河、逾期问题和议定事项、超期未审定的纪要和文件，按责任单位分组',
    example: '/逾期',
    async run(ctx) {
      await ctx.reply({ kind: 'card', card: await queries.overdue(ctx.message.senderOpenId) });
    },
  };
}
