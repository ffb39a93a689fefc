import type { MonthlyDigest } from '../workflows/status/monthly-digest.js';
import type { StatusService } from '../workflows/status/status-service.js';
import type { Command } from './commands/command.js';

/** `/状态`: the district, or the asker's part of it, at a glance. */
export function statusCommand(status: StatusService): Command {
  return {
    name: '状态',
    audience: ['office', 'chief', 'liaison', 'unit'],
    aliases: ['status'],
    usage: '/状态',
    summary: '全区（或您负责范围内）巡河履职、问题、议定事项、待审定文件和近期会议一览，附图表',
    example: '/状态',
    async run(ctx) {
      await ctx.reply({ kind: 'card', card: await status.card(ctx.message.senderOpenId) });
    },
  };
}

/** `/简报`: last month's digest on demand. */
export function digestCommand(digest: MonthlyDigest): Command {
  return {
    name: '简报',
    audience: ['office'],
    aliases: ['digest'],
    usage: '/简报',
    summary: '上月河湖长制工作月度简报（每月第一个工作日也会自动发到区河长制办公室群）',
    example: '/简报',
    async run(ctx) {
      await ctx.reply({ kind: 'card', card: await digest.onDemand(ctx.message.senderOpenId) });
    },
  };
}
