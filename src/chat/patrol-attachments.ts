import { z } from 'zod';
import type { IncomingMessage } from '../feishu/inbound.js';
import type { PatrolService } from '../workflows/patrols/patrol-service.js';
import { parseCommandLine } from './commands/parse.js';
import type { Interaction } from './interaction.js';
import { photosOf } from './message-photos.js';

const LocationSchema = z.object({
  name: z.string().default('位置'),
  latitude: z.coerce.string(),
  longitude: z.coerce.string(),
});

/**
 * Photos and locations replied in the thread of a patrol card are attached to the patrol:
 * an image message, or a rich-text (post) reply with inline pictures, which the client sends
 * as soon as a photo is pasted next to words.
 */
export class PatrolAttachments {
  constructor(private readonly patrols: PatrolService) {}

  async handle(message: IncomingMessage, ctx: Interaction): Promise<boolean> {
    if (!message.rootId) return false;
    let attachment: Parameters<PatrolService['attachFromThread']>[2];
    if (message.messageType === 'image' || message.messageType === 'post') {
      if (message.images.length === 0 || parseCommandLine(message.text)) return false;
      attachment = { photos: photosOf(message) };
    } else if (message.messageType === 'location') {
      const location = LocationSchema.safeParse(message.content);
      if (!location.success) return false;
      attachment = { location: location.data };
    } else {
      return false;
    }
    const answer = await this.patrols.attachFromThread(message.senderOpenId, message.rootId, attachment);
    if (answer === undefined) return false;
    ctx.log.info({ kind: message.messageType }, 'patrol attachment handled');
    await ctx.reply({ kind: 'text', text: answer });
    return true;
  }
}
