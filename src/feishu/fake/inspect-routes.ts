import { ok } from './feishu-replies.js';
import { describeMessage } from './render-console.js';
import type { Route } from './route-types.js';

/**
 * Not part of Feishu: lets `npm run chat` read back, in local mode, what the bot sent after
 * a given point, rendered as on the console. `GET /__fake__/messages?since=N` returns the
 * messages from index N on and the index to ask from next time.
 */
export const inspectRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/__fake__\/messages$/,
    authenticated: false,
    handle(req, deps) {
      const all = deps.store.messages();
      const since = Math.max(0, Number(req.query.since ?? 0) || 0);
      const items = all.slice(since).map((m) => ({
        messageId: m.messageId,
        chatId: m.chatId,
        fromPerson: m.senderOpenId !== undefined,
        msgType: m.msgType,
        content: m.content,
        text: describeMessage(m),
      }));
      return ok({ items, next: all.length });
    },
  },
];
