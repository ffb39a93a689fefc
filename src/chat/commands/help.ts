import type { Audience } from '../../domain/access/visibility.js';
import { helpCard } from '../../feishu/cards/help-card.js';
import type { Command } from './command.js';
import type { CommandRegistry } from './registry.js';

/** `/帮助` `/help`: the help card, listing the commands this person may use. */
export function helpCommand(
  registry: CommandRegistry,
  audiencesOf: (openId: string) => Promise<ReadonlySet<Audience>>,
): Command {
  return {
    name: '帮助',
    aliases: ['help'],
    usage: '/帮助',
    summary: '查看我能做什么，以及您可以使用的命令',
    example: '/帮助',
    async run(ctx) {
      const mine = await audiencesOf(ctx.message.senderOpenId);
      const commands = registry
        .list()
        .filter((c) => !c.audience || c.audience.some((a) => mine.has(a)))
        .map((c) => ({
          usage: [c.usage, ...c.aliases.map((a) => `/${a}`)].join(' 或 '),
          summary: c.summary,
          example: c.example,
        }));
      await ctx.reply({ kind: 'card', card: helpCard({ commands, chatType: ctx.message.chatType }) });
    },
  };
}
