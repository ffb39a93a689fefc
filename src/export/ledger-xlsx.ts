import ExcelJS from 'exceljs';

/** A ledger as offices keep it: a title row, a header row, one row per record. */
export interface Ledger {
  sheetName: string;
  title: string;
  columns: Array<{ header: string; width: number }>;
  rows: Array<Array<string | number>>;
}

/** The ledger as an .xlsx workbook, ready to print on A4 landscape. */
export async function renderLedger(ledger: Ledger): Promise<Buffer> {
  return renderWorkbook([ledger]);
}

/** Several ledgers as the sheets of one workbook (a result and the evidence behind it). */
export async function renderWorkbook(ledgers: Ledger[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const ledger of ledgers) addSheet(book, ledger);
  return Buffer.from(await book.xlsx.writeBuffer());
}

function addSheet(book: ExcelJS.Workbook, ledger: Ledger): void {
  const sheet = book.addWorksheet(ledger.sheetName, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = ledger.columns.map((c) => ({ width: c.width }));
  sheet.addRow([ledger.title]);
  sheet.mergeCells(1, 1, 1, ledger.columns.length);
  const title = sheet.getRow(1);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  const header = sheet.addRow(ledger.columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  for (const row of ledger.rows) sheet.addRow(row).alignment = { vertical: 'top', wrapText: true };
  // The header stays in view and prints on every page.
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  sheet.pageSetup.printTitlesRow = '2:2';
}
