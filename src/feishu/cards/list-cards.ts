import { Markdown } from '../../workflows/markdown.js';
import type { CardJson } from '../../workflows/ports.js';
import type { ListCardPresenter, ListView } from '../../workflows/queries/views.js';
import { valueOf } from './buttons/intents.js';
import { renderCard } from './template.js';

/**
 * Room for rows on one card (limits.ts: 30 KB, 200 components): a row is 3 components, 6 with
 * its button; the header, summary and footer take the rest.
 */
const ROWS_BYTES = 22 * 1024;
const ROWS_COMPONENTS = 170;
/** JSON a row's column set and button add around its text. */
const ROW_FRAME_BYTES = 250;
const BUTTON_BYTES = 300;

/** As many rows as fit, in order; the rest are counted. */
function fittingRows(rows: ListView['rows']): { shown: ListView['rows']; more: number } {
  let bytes = 0;
  let components = 0;
  let n = 0;
  for (const row of rows) {
    const text = row.text instanceof Markdown ? row.text.source : row.text;
    const size =
      Buffer.byteLength(text, 'utf8') +
      ROW_FRAME_BYTES +
      (row.button ? BUTTON_BYTES + Buffer.byteLength(JSON.stringify(valueOf(row.button.intent)), 'utf8') : 0);
    const count = row.button ? 6 : 3;
    if (bytes + size > ROWS_BYTES || components + count > ROWS_COMPONENTS) break;
    bytes += size;
    components += count;
    n++;
  }
  return { shown: rows.slice(0, n), more: rows.length - n };
}

export function listCard(view: ListView): CardJson {
  const { shown, more } = fittingRows(view.rows);
  const footer = [more > 0 ? `另有 ${more} 项未列出，可发送 /导出 取得完整台账。` : '', view.footer ?? '']
    .filter(Boolean)
    .join('\n');
  const rows = shown.map((row) =>
    row.button ? { ...row, button: { label: row.button.label, value: valueOf(row.button.intent) } } : row,
  );
  return renderCard('item-list', { ...view, rows, footer });
}

export const listCards: ListCardPresenter = { list: listCard };
