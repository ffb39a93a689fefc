import { z } from 'zod';
import type { EventContext, IncomingMessage } from '../feishu/inbound.js';
import type { PatrolService } from '../workflows/patrols/patrol-service.js';
import type { MessageBody } from '../workflows/ports.js';

const ImageSchema = z.object({ image_key: z.string().min(1) });
const LocationSchema = z.object({ name: z.string().default('位置'), latitude: z.coerce.string(), longitude: z.coerce.string() });

/** Photos and locations replied in the thread of a patrol card are attached to the patrol. */
export class PatrolAttachments {
  constructor(private readonly patrols: PatrolService) {}

  async handle(message: IncomingMessage, reply: (body: MessageBody) => Promise<void>, ctx: EventContext): Promise<boolean> {
    if (!message.rootId || (message.messageType !== 'image' && message.messageType !== 'location')) return false;
    let attachment: Parameters<PatrolService['attachFromThread']>[2];
    if (message.messageType === 'image') {
      const image = ImageSchema.safeParse(message.content);
      if (!image.success) return false;
      attachment = { photo: `${message.messageId}/${image.data.image_key}` };
    } else {
      const location = LocationSchema.safeParse(message.content);
      if (!location.success) return false;
      attachment = { location: location.data };
    }
    const answer = await this.patrols.attachFromThread(message.senderOpenId, message.rootId, attachment);
    if (answer === undefined) return false;
    ctx.log.info({ kind: message.messageType }, 'patrol attachment handled');
    await reply({ kind: 'text', text: answer });
    return true;
  }
}
