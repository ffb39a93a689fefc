/**
 * The text of a document laid out the way Chinese offices lay out 会议纪要 and 印发 documents:
 * issuing body, number, title, an opening paragraph, items numbered 一、二、三, attendance,
 * and the issuer with the date. The card and the .docx both render this one layout, so they
 * can never say different things. Pure.
 */

export interface DocumentLayout {
  /** 金口河区总河长办公室 */
  issuer: string;
  /** 会议纪要 / 文件 */
  banner: string;
  /** 金总河长办纪〔2026〕3号, or （草稿） before publication. */
  number: string;
  title: string;
  opening: string;
  items: string[];
  /** Untracked parts (the four lists' goals, problems, responsibilities; a plan's body). */
  sections: Array<{ heading: string; lines: string[] }>;
  /** 出席、列席 lines. */
  attendance: string[];
  /** 2026年12月5日印发; empty for a draft, which has not been issued. */
  date: string;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (items rarely pass 99). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n] ?? String(n);
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
  return String(n);
}

/** Items numbered as in the document: 一、… 二、… */
export function numberedItems(layout: Pick<DocumentLayout, 'items'>): string[] {
  return layout.items.map((text, i) => `${chineseNumber(i + 1)}、${text}`);
}

/** The whole document as plain text (the card's body, and the test's reading of it). */
export function layoutText(layout: DocumentLayout): string {
  return [
    `${layout.issuer}${layout.banner}`,
    layout.number,
    layout.title,
    layout.opening,
    ...numberedItems(layout),
    ...layout.sections.flatMap((s) => [s.heading, ...s.lines]),
    ...layout.attendance,
    layout.issuer,
    layout.date,
  ]
    .filter((line) => line !== '')
    .join('\n');
}
