import type { CardJson } from '../../workflows/ports.js';
import { renderCard } from './template.js';

export interface HelpCardData {
  /** Commands this person may use, in display order. */
  commands: Array<{ usage: string; summary: string; example: string }>;
  /** Where the help was asked for, so group and direct chats read right. */
  chatType: 'p2p' | 'group' | 'other';
}

/** The help card: what the bot does and the commands this person may use. */
export function helpCard(data: HelpCardData): CardJson {
  return renderCard('help', {
    subtitle: '区级河湖长制工作协调机制 · 飞书助手',
    intro:
      '您好！我负责提醒巡河、跟踪问题整改、记录会议议定事项。' +
      (data.chatType === 'group' ? '在群聊中请先 @河湖长助手 再输入命令。' : '在此直接输入命令即可。'),
    commands: data.commands,
    footer: '命令前的“/”可用全角或半角；如有疑问，请联系区河长制办公室。',
  });
}
