import type * as lark from '@larksuiteoapi/node-sdk';
import { FeishuApiError } from '../errors.js';
import type { ContactDirectory } from '../workflows/ports.js';
import { toFeishuError } from './messenger/feishu-api.js';

/** Feishu's batch look-up takes at most 50 mobiles and 50 emails per call. */
const BATCH = 50;

/** ContactDirectory over `contact.v3.user.batchGetId` (scope contact:user.id:readonly). */
export class FeishuContacts implements ContactDirectory {
  constructor(private readonly client: lark.Client) {}

  async openIdsFor(query: { mobiles: string[]; emails: string[] }) {
    const byMobile = new Map<string, string>();
    const byEmail = new Map<string, string>();
    const mobiles = [...new Set(query.mobiles)];
    const emails = [...new Set(query.emails)];
    for (let i = 0; i < Math.max(mobiles.length, emails.length); i += BATCH) {
      const batch = { mobiles: mobiles.slice(i, i + BATCH), emails: emails.slice(i, i + BATCH) };
      let reply: Awaited<ReturnType<lark.Client['contact']['v3']['user']['batchGetId']>>;
      try {
        reply = await this.client.contact.v3.user.batchGetId({
          params: { user_id_type: 'open_id' },
          data: { ...batch, include_resigned: false },
        });
      } catch (error) {
        throw toFeishuError(error);
      }
      if (reply.code !== undefined && reply.code !== 0) throw new FeishuApiError(200, reply.code, reply.msg ?? 'error');
      for (const user of reply.data?.user_list ?? []) {
        if (!user.user_id) continue;
        if (user.mobile) byMobile.set(user.mobile.replace(/^\+86/, ''), user.user_id);
        if (user.email) byEmail.set(user.email.toLowerCase(), user.user_id);
      }
    }
    return { byMobile, byEmail };
  }
}
