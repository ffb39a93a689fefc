import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { directoryToWorkbook, parseWorkbookDirectory } from '../../src/workflows/directory/xlsx-directory.js';
import { parseYamlDirectory } from '../../src/workflows/directory/yaml-directory.js';

const parsed = parseYamlDirectory(readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error('example must parse');
const example = parsed.directory;

function sheet(book: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = book.getWorksheet(name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

async function edited(change: (book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await directoryToWorkbook(example)) as unknown as ArrayBuffer);
  change(book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('directory workbook', () => {
  it('round-trips the example district through the template', async () => {
    const back = await parseWorkbookDirectory(await directoryToWorkbook(example));
    expect(back).toEqual({ ok: true, directory: example });
  });

  it('has a sheet per concept with Chinese headers', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await directoryToWorkbook(example)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['设置', '人员', '单位', '河湖', '节假日']);
    expect(book.getWorksheet('河湖')?.getRow(1).values).toEqual([
      undefined,
      '编号',
      '名称',
      '类型',
      '区级河湖长',
      '联络员单位',
      '流经乡镇',
      '乡级河湖长',
      '村级河湖长',
      '是否跨界',
      '相邻区县',
      '群聊ID',
    ]);
    expect(book.getWorksheet('河湖')?.getRow(2).getCell(7).value).toBe('yonghe:wu-yonghe、gongan:feng-gongan');
  });

  it('reads mobiles typed as numbers and emails typed as links', async () => {
    const data = await edited((book) => {
      const people = sheet(book, '人员');
      people.getRow(2).getCell(3).value = 13800000001;
      people.getRow(7).getCell(4).value = { text: 'sun@example.gov.cn', hyperlink: 'mailto:sun@example.gov.cn' };
    });
    const back = await parseWorkbookDirectory(data);
    expect(back.ok && back.directory.people[0]?.mobile).toBe('13800000001');
    expect(back.ok && back.directory.people[5]?.email).toBe('sun@example.gov.cn');
  });

  it('reports problems by sheet, row and column, and reads nothing into the database', async () => {
    const data = await edited((book) => {
      sheet(book, '人员').getRow(4).getCell(3).value = '1380000';
      sheet(book, '河湖').getRow(3).getCell(4).value = 'nobody';
    });
    const back = await parseWorkbookDirectory(data);
    expect(back.ok).toBe(false);
    if (back.ok) return;
    // Both at once: a field check does not hide the reference check behind it (issue 15).
    expect(back.problems).toEqual([
      { where: '「人员」第 4 行（手机号）', message: '手机号格式不正确（应为 11 位中国大陆手机号）' },
      { where: '「河湖」第 3 行（区级河湖长）', message: '野牛河的区级河湖长“nobody”不在人员名单中' },
    ]);
  });

  it('says when the file is not a workbook or a sheet is missing', async () => {
    const notABook = await parseWorkbookDirectory(Buffer.from('not a workbook'));
    expect(notABook.ok ? [] : notABook.problems.map((p) => [p.where, p.message.slice(0, 16)])).toEqual([
      ['文件', '无法作为 Excel 工作簿打开'],
    ]);
    expect(notABook.ok ? '' : notABook.unreadable).toContain('无法核对其内容');
    const data = await edited((book) => book.removeWorksheet(book.getWorksheet('单位')?.id ?? 0));
    const missing = await parseWorkbookDirectory(data);
    expect(missing.ok ? [] : missing.problems.map((p) => [p.where, p.message.slice(0, 6)])).toEqual([
      ['工作表「单位」', '缺少此工作表'],
    ]);
  });
});
