import { z } from 'zod';
import { fullMarks } from '../domain/assessment/scheme.js';
import type { Clock } from '../domain/clock.js';
import type { IncomingMessage } from '../feishu/inbound.js';
import type { ApprovalStore } from '../store/approval-store.js';
import type { DirectoryStore } from '../store/directory-store.js';
import { looksLikeScheme, parseSchemeYaml } from '../workflows/assessment/scheme-yaml.js';
import type { MessageFiles } from '../workflows/ports.js';
import type { Interaction } from './interaction.js';

const FileContentSchema = z.object({ file_key: z.string().min(1), file_name: z.string().default('') });

/**
 * 区河长制办公室 sets the assessment's scoring scheme by sending its YAML file (named with 考核
 * or assessment) to the bot in a direct chat. Other YAML files are left to the directory import.
 */
export class SchemeUpload {
  constructor(
    private readonly deps: { directory: DirectoryStore; approvals: ApprovalStore; files: MessageFiles; clock: Clock },
  ) {}

  async handle(message: IncomingMessage, ctx: Interaction): Promise<boolean> {
    if (message.messageType !== 'file' || message.chatType !== 'p2p') return false;
    const content = FileContentSchema.safeParse(message.content);
    if (!content.success || !/(考核|assessment).*\.ya?ml$/i.test(content.data.file_name)) return false;
    const directory = await this.deps.directory.loadDirectory();
    const sender = directory?.people.find((p) => p.openId === message.senderOpenId);
    if (!sender || !directory?.units.some((u) => u.kind === 'riverChiefOffice' && u.members.includes(sender.id))) {
      await ctx.reply({ kind: 'text', text: '只有区河长制办公室人员可以设置考核细则。' });
      return true;
    }
    const text = (await this.deps.files.download(message.messageId, content.data.file_key, 'file')).toString('utf8');
    if (!looksLikeScheme(text)) return false;
    const parsed = parseSchemeYaml(text);
    if (!parsed.ok) {
      ctx.log.info({ fileName: content.data.file_name, problems: parsed.problems }, 'assessment scheme refused');
      await ctx.reply({
        kind: 'text',
        text: `考核细则未导入，请修改后重新发送：\n${parsed.problems.slice(0, 10).join('\n')}`,
      });
      return true;
    }
    await this.deps.approvals.saveScheme({
      _id: parsed.year === undefined ? 'all-years' : String(parsed.year),
      year: parsed.year ?? null,
      scheme: parsed.scheme,
      fileName: content.data.file_name,
      uploadedBy: sender.id,
      uploadedAt: this.deps.clock.now(),
    });
    ctx.log.info({ fileName: content.data.file_name, year: parsed.year, by: sender.id }, 'assessment scheme stored');
    const s = parsed.scheme;
    await ctx.reply({
      kind: 'text',
      text: [
        `已导入考核细则“${s.name}”，适用于${parsed.year ? `${parsed.year}年度` : '此后各年度'}：`,
        ...s.items.map((i) => `· ${i.name} ${i.weight}分`),
        `满分 ${fullMarks(s)} 分；提示扣 ${s.deductions.prompt} 分、通报批评扣 ${s.deductions.bulletin} 分、约谈扣 ${s.deductions.admonition} 分（最多扣 ${s.deductions.cap} 分）；通报表扬加 ${s.bonus.praiseBulletin} 分（最多加 ${s.bonus.cap} 分）。`,
      ].join('\n'),
    });
    return true;
  }
}
