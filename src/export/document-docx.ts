import JSZip from 'jszip';
import { type DocumentLayout, numberedItems } from '../domain/documents/layout.js';

/**
 * A DocumentLayout as a .docx (Office Open XML) in the usual layout of the district's
 * documents: issuing body in red, centred number and title, body in 仿宋 三号 with a
 * two-character first-line indent, issuer and date bottom right. Word and WPS substitute
 * fonts that are not installed. The package holds only the parts Word requires.
 */

const BODY_FONT = '仿宋_GB2312';
const TITLE_FONT = '方正小标宋简体';
const SIZE_BODY = 32; // 三号 (16 pt), in half-points
const SIZE_TITLE = 44; // 二号 (22 pt)

interface LineStyle {
  bold?: boolean;
  align?: 'center' | 'right' | 'both';
  indent?: boolean;
  size?: number;
  font?: string;
  colour?: string;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function paragraph(text: string, style: LineStyle = {}): string {
  const font = style.font ?? BODY_FONT;
  const size = style.size ?? SIZE_BODY;
  const pPr = `<w:pPr><w:jc w:val="${style.align ?? 'both'}"/><w:spacing w:line="560" w:lineRule="exact"/>${style.indent ? '<w:ind w:firstLineChars="200" w:firstLine="640"/>' : ''}</w:pPr>`;
  const rPr = `<w:rPr><w:rFonts w:ascii="${font}" w:eastAsia="${font}" w:hAnsi="${font}"/>${style.bold ? '<w:b/>' : ''}${style.colour ? `<w:color w:val="${style.colour}"/>` : ''}<w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr>`;
  return `<w:p>${pPr}${text ? `<w:r>${rPr}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>` : ''}</w:p>`;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

function coreProperties(layout: DocumentLayout): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${escapeXml(layout.title)}</dc:title><dc:creator>${escapeXml(layout.issuer)}</dc:creator></cp:coreProperties>`;
}

/** The body paragraphs, in reading order. */
function body(layout: DocumentLayout): string[] {
  const paragraphs = [
    paragraph(`${layout.issuer}${layout.banner}`, {
      align: 'center',
      bold: true,
      size: SIZE_TITLE,
      font: TITLE_FONT,
      colour: 'C00000',
    }),
    paragraph(layout.number, { align: 'center' }),
    paragraph(''),
    paragraph(layout.title, { align: 'center', bold: true, size: SIZE_TITLE, font: TITLE_FONT }),
    paragraph(''),
  ];
  if (layout.opening) paragraphs.push(paragraph(layout.opening, { indent: true }));
  for (const item of numberedItems(layout)) paragraphs.push(paragraph(item, { indent: true }));
  for (const section of layout.sections) {
    paragraphs.push(paragraph(section.heading, { bold: true, indent: true }));
    for (const text of section.lines) paragraphs.push(paragraph(text, { indent: true }));
  }
  if (layout.attendance.length > 0) paragraphs.push(paragraph(''));
  for (const text of layout.attendance) paragraphs.push(paragraph(text, { indent: true }));
  paragraphs.push(paragraph(''), paragraph(layout.issuer, { align: 'right' }));
  if (layout.date) paragraphs.push(paragraph(layout.date, { align: 'right' }));
  return paragraphs;
}

export async function renderDocx(layout: DocumentLayout): Promise<Buffer> {
  // A4 with the margins of GB/T 9704 (37 mm top, 35 mm bottom, 28 mm left, 26 mm right).
  const section =
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>';
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body(layout).join('')}${section}</w:body></w:document>`;
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', ROOT_RELS);
  zip.file('docProps/core.xml', coreProperties(layout));
  zip.file('word/document.xml', document);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
