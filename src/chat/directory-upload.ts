import { z } from 'zod';
import { inOffices } from '../domain/directory/directory.js';
import type { EventContext, IncomingMessage } from '../feishu/inbound.js';
import { directoryImportCard } from '../feishu/cards/directory-import-card.js';
import type { DirectoryStore } from '../store/directory-store.js';
import { importDirectory, type DirectorySource } from '../workflows/directory/import-directory.js';
import { summariseImport } from '../workflows/directory/import-summary.js';
import type { ContactDirectory, MessageBody, MessageFiles } from '../workflows/ports.js';

const FileContentSchema = z.object({ file_key: z.string().min(1), file_name: z.string().default('') });

const OFFICE_ONLY = '只有区河长制办公室、区总河长办公室人员可以导入组织名录；如需更新名录，请联系河长办。';

/**
 * Office staff update the directory by sending the roster workbook (or the YAML file) to the
 * bot in a direct chat; the bot answers with a summary card. The very first import, before
 * anyone is known as office staff, is done with `npm run org:import`.
 */
export class DirectoryUpload {
  constructor(
    private readonly deps: { store: DirectoryStore; contacts: ContactDirectory | undefined; files: MessageFiles },
  ) {}

  /** Handles a file message if it is a roster; returns false for anything else. */
  async handle(message: IncomingMessage, reply: (body: MessageBody) => Promise<void>, ctx: EventContext): Promise<boolean> {
    if (message.messageType !== 'file' || message.chatType !== 'p2p') return false;
    const content = FileContentSchema.safeParse(message.content);
    if (!content.success) return false;
    const name = content.data.file_name;
    const format = /\.xlsx$/i.test(name) ? 'xlsx' : /\.ya?ml$/i.test(name) ? 'yaml' : undefined;
    if (!format) return false;

    const directory = await this.deps.store.loadDirectory();
    const sender = directory?.people.find((p) => p.openId === message.senderOpenId);
    if (!directory || !sender || !inOffices(directory, sender.id)) {
      ctx.log.info({ fileName: name }, 'roster upload refused: not office staff');
      await reply({ kind: 'text', text: OFFICE_ONLY });
      return true;
    }
    const data = await this.deps.files.download(message.messageId, content.data.file_key, 'file');
    const source: DirectorySource = format === 'xlsx' ? { format, data } : { format, text: data.toString('utf8') };
    const outcome = await importDirectory(source, { store: this.deps.store, contacts: this.deps.contacts });
    const summary = summariseImport(outcome);
    ctx.log.info({ fileName: name, ok: outcome.ok, by: sender.id }, 'roster upload processed');
    await reply({ kind: 'card', card: directoryImportCard({ ...summary, ok: outcome.ok, fileName: name }) });
    return true;
  }
}
