import type { IncomingMessage } from '../feishu/inbound.js';
import type { IssueService } from '../workflows/issues/issue-service.js';
import { parseCommandLine } from './commands/parse.js';
import type { Interaction } from './interaction.js';
import { photosOf } from './message-photos.js';

/** Kinds of reply that can carry words or photos. */
const PROGRESS_KINDS = new Set(['text', 'image', 'post']);

/**
 * Replies in the thread of a problem's card (text, photos, or a rich-text reply with both)
 * are progress notes: liaison units and assignees report the way they already work. A
 * rich-text reply's words and inline photos are one note. Commands typed there stay commands.
 */
export class IssueThreadReplies {
  constructor(private readonly issues: IssueService) {}

  async handle(message: IncomingMessage, ctx: Interaction): Promise<boolean> {
    if (!message.rootId || !PROGRESS_KINDS.has(message.messageType)) return false;
    const text = message.text.trim();
    if (parseCommandLine(text) || (!text && message.images.length === 0)) return false;
    const photos = photosOf(message);
    const answer = await this.issues.progressFromThread(
      message.senderOpenId,
      message.rootId,
      { text, photos },
      message.messageId,
    );
    if (answer === undefined) return false;
    ctx.log.info({ kind: message.messageType, photos: photos.length }, 'issue thread reply handled');
    await ctx.reply({ kind: 'text', text: answer });
    return true;
  }
}
