import { z } from 'zod';
import { inOffices } from '../domain/directory/directory.js';
import { directoryImportCard } from '../feishu/cards/directory-import-card.js';
import type { IncomingMessage } from '../feishu/inbound.js';
import type { DirectoryStore } from '../store/directory-store.js';
import { type DirectorySource, importDirectory } from '../workflows/directory/import-directory.js';
import { summariseImport } from '../workflows/directory/import-summary.js';
import type { ContactDirectory, MessageFiles } from '../workflows/ports.js';
import type { Interaction } from './interaction.js';

const FileContentSchema = z.object({ file_key: z.string().min(1), file_name: z.string().default('') });

const OFFICE_ONLY = '只有区河长制办公室、区总河长办公室人员可以导入组织名录；如需更新名录，请联系河长办。';

/** What office staff may send the bot directly, named with the file they sent. */
const filesTaken = (name: string) =>
  [
    `机器人无法处理“${name}”。直接发给机器人的文件只接收：`,
    '· 组织名录：Excel 工作簿（.xlsx，按名录模板填写）或 YAML 文件（.yaml / .yml）',
    '· 考核细则：文件名含“考核”的 YAML 文件（.yaml / .yml），仅区河长制办公室人员',
    '纪要、方案等文件的附件，请在该文件卡片的话题中回复上传；巡河和问题的照片，请在对应卡片的话题中回复。',
  ].join('\n');
const OTHER_FILES =
  '机器人不接收直接发来的文件。纪要、方案等文件的附件，请在该文件卡片的话题中回复上传；巡河和问题的照片，请在对应卡片的话题中回复。';

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
  async handle(message: IncomingMessage, ctx: Interaction): Promise<boolean> {
    if (message.messageType !== 'file' || message.chatType !== 'p2p') return false;
    const content = FileContentSchema.safeParse(message.content);
    if (!content.success) return false;
    const name = content.data.file_name;
    const format = /\.xlsx$/i.test(name) ? 'xlsx' : /\.ya?ml$/i.test(name) ? 'yaml' : undefined;
    const directory = await this.deps.store.loadDirectory();
    const sender = directory?.people.find((p) => p.openId === message.senderOpenId);
    if (!format) {
      // A file in a thread belongs to that thread (a draft's attachment): left to its handlers.
      // The handlers for the scheme and for drafts come before this one, so a file sent
      // directly that reaches here is one nothing takes: say which files the bot does take.
      if (message.rootId) return false;
      ctx.log.info({ fileName: name }, 'file of an unsupported type');
      await ctx.reply({
        kind: 'text',
        text: directory && sender && inOffices(directory, sender.id) ? filesTaken(name) : OTHER_FILES,
      });
      return true;
    }
    if (!directory || !sender || !inOffices(directory, sender.id)) {
      ctx.log.info({ fileName: name }, 'roster upload refused: not office staff');
      await ctx.reply({ kind: 'text', text: OFFICE_ONLY });
      return true;
    }
    const data = await this.deps.files.download(message.messageId, content.data.file_key, 'file');
    const source: DirectorySource = format === 'xlsx' ? { format, data } : { format, text: data.toString('utf8') };
    const outcome = await importDirectory(source, { store: this.deps.store, contacts: this.deps.contacts });
    const summary = summariseImport(outcome);
    ctx.log.info({ fileName: name, ok: outcome.ok, by: sender.id }, 'roster upload processed');
    await ctx.reply({
      kind: 'card',
      card: directoryImportCard({ ...summary, ok: outcome.ok, fileName: name, format }),
    });
    return true;
  }
}
