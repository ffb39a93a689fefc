import { queryButtons } from '../feishu/cards/buttons/query-buttons.js';
import type { QueryService } from '../workflows/queries/query-service.js';
import type { CardActionRouter } from './card-actions.js';
import type { Command } from './commands/command.js';

/** A choice on an ambiguous-name card runs the query again with the chosen name. */
export function registerQueryActions(router: CardActionRouter, queries: QueryService): void {
  router.wire(queryButtons, {
    issues: async (v, tap) => ({ card: await queries.issues(tap.operatorOpenId, v.q) }),
    patrols: async (v, tap) => ({ card: await queries.patrols(tap.operatorOpenId, v.q) }),
    // The ledger goes to the conversation the choice card is in, as `/导出` would have sent it.
    export: async (v, tap, ctx) => {
      const answer = await queries.exportLedger(tap.operatorOpenId, v.q);
      if ('choices' in answer) return { card: answer.choices };
      await ctx.sendFile(answer.file, v.q);
      return { toast: { type: 'success', content: answer.summary } };
    },
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
