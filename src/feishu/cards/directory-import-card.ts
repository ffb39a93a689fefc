import type { CardJson } from '../../workflows/ports.js';
import { renderCard } from './template.js';

/** The summary card after a roster upload: what was added, changed, removed, or what is wrong. */
export function directoryImportCard(summary: { title: string; lines: string[]; ok: boolean; fileName: string }): CardJson {
  // Problems can run long; the card shows the first 30 and says how many more there are.
  const shown = summary.lines.slice(0, 30);
  const more = summary.lines.length - shown.length;
  return renderCard('directory-import', {
    title: summary.title,
    fileName: summary.fileName,
    color: summary.ok ? 'green' : 'red',
    text: [...shown, ...(more > 0 ? [`……另有 ${more} 处，请修改后重新发送`] : [])].join('\n') || '（无）',
    footer: summary.ok ? '名录按编号更新；已有的巡河、问题记录保持关联。' : '请按提示修改工作簿后重新发送；本次未写入任何数据。',
  });
}
