import { z } from 'zod';
import type { EventContext, IncomingMessage } from '../feishu/inbound.js';
import type { IssueService, ThreadContent } from '../workflows/issues/issue-service.js';
import type { MessageBody } from '../workflows/ports.js';

const ImageSchema = z.object({ image_key: z.string().min(1) });

/**
 * Replies in the thread of a problem's card (text or photos) are progress notes: liaison
 * units and assignees report the way they already work. Commands typed there stay commands.
 */
export class IssueThreadReplies {
  constructor(private readonly issues: IssueService) {}

  async handle(message: IncomingMessage, reply: (body: MessageBody) => Promise<void>, ctx: EventContext): Promise<boolean> {
    if (!message.rootId) return false;
    let content: ThreadContent;
    if (message.messageType === 'image') {
      const image = ImageSchema.safeParse(message.content);
      if (!image.success) return false;
      content = { photo: `${message.messageId}/${image.data.image_key}` };
    } else if (message.messageType === 'text' || message.messageType === 'post') {
      if (!message.text.trim() || message.text.trim().startsWith('/')) return false;
      content = { text: message.text };
    } else {
      return false;
    }
    const answer = await this.issues.progressFromThread(message.senderOpenId, message.rootId, content, message.messageId);
    if (answer === undefined) return false;
    ctx.log.info({ kind: message.messageType }, 'issue thread reply handled');
    await reply({ kind: 'text', text: answer });
    return true;
  }
}
