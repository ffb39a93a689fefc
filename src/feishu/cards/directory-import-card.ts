import type { CardJson } from '../../workflows/ports.js';
import { clip } from './limits.js';
import { renderCard } from './template.js';

/** About 24 KB of Chinese text at most, leaving room for the rest of the card. */
const TEXT_CHARS = 7_000;
const LINE_CHARS = 160;

/** The summary card after a roster upload: what was added, changed, removed, or what is wrong. */
export function directoryImportCard(summary: {
  title: string;
  lines: string[];
  ok: boolean;
  fileName: string;
  format: 'xlsx' | 'yaml';
}): CardJson {
  // Named for what was sent: office staff fix a workbook in Excel, IT a YAML file in an editor.
  const fix = summary.format === 'xlsx' ? '请按提示修改工作簿后重新发送' : '请按提示修改 YAML 文件后重新发送';
  // Every problem fits in one answer as long as the card stays within 30 KB (limits.ts):
  // lines are cut to LINE_CHARS and listed up to TEXT_CHARS in all, then the count of the rest.
  const shown: string[] = [];
  let used = 0;
  for (const line of summary.lines) {
    const cut = clip(line, LINE_CHARS);
    if (used + cut.length > TEXT_CHARS) break;
    shown.push(cut);
    used += cut.length + 1;
  }
  const more = summary.lines.length - shown.length;
  return renderCard('directory-import', {
    title: summary.title,
    fileName: summary.fileName,
    color: summary.ok ? 'green' : 'red',
    text:
      [
        ...shown,
        ...(more > 0
          ? [`……另有 ${more} 行未能列在卡片上；完整清单可由管理员运行 npm run org:import -- 文件名 --dry-run 查看`]
          : []),
      ].join('\n') || '（无）',
    footer: summary.ok ? '名录按编号更新；已有的巡河、问题记录保持关联。' : `${fix}；本次未写入任何数据。`,
  });
}
