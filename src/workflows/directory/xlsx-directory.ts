import ExcelJS from 'exceljs';
import { DEFAULT_REMINDER_SETTINGS, type Directory } from '../../domain/directory/directory.js';
import { DEFAULT_ISSUE_SETTINGS } from '../../domain/issues/supervision.js';
import { DEFAULT_MEETING_SETTINGS } from '../../domain/meetings/meeting-settings.js';
import { type ParsedDirectory, toDirectory } from './yaml-directory.js';

/**
 * The directory as office staff keep it: an Excel workbook with one sheet per concept and
 * Chinese headers. `directoryToWorkbook` writes the template (filled with a directory, e.g.
 * the example district); `parseWorkbookDirectory` reads it back through the same checks as
 * the YAML file, reporting problems by sheet, row and column.
 */

const UNIT_KINDS: Record<string, string> = {
  区总河长办公室: 'generalChiefOffice',
  区河长制办公室: 'riverChiefOffice',
  联络员单位: 'liaisonUnit',
  职能部门: 'department',
  乡镇: 'township',
};
const PERIODS: Record<string, string> = { 月: 'month', 季度: 'quarter', 年: 'year' };
const invert = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));

interface SheetSpec {
  name: string;
  /** Column header → field in the file shape. */
  columns: Array<[header: string, field: string]>;
}

const PEOPLE: SheetSpec = {
  name: '人员',
  columns: [
    ['编号', 'id'],
    ['姓名', 'name'],
    ['手机号', 'mobile'],
    ['邮箱', 'email'],
    ['飞书open_id', 'openId'],
  ],
};
const UNITS: SheetSpec = {
  name: '单位',
  columns: [
    ['编号', 'id'],
    ['名称', 'name'],
    ['类型', 'kind'],
    ['成员编号', 'members'],
    ['群聊ID', 'chat'],
    ['负责人编号', 'head'],
  ],
};
const WATERS: SheetSpec = {
  name: '河湖',
  columns: [
    ['编号', 'id'],
    ['名称', 'name'],
    ['类型', 'kind'],
    ['区级河湖长', 'districtChief'],
    ['联络员单位', 'liaisonUnit'],
    ['流经乡镇', 'townships'],
    ['乡级河湖长', 'townshipChiefs'],
    ['村级河湖长', 'villageChiefs'],
    ['是否跨界', 'crossBoundary'],
    ['相邻区县', 'neighbours'],
    ['群聊ID', 'chat'],
  ],
};
const SETTINGS_SHEET = '设置';
const CALENDAR_SHEET = '节假日';
const SETTING_ROWS: Array<[label: string, key: string]> = [
  ['行政区', 'district'],
  ['启用日期（如 2026-12-02；不填为首次导入之日）', 'goLiveOn'],
  ['区级总河长（人员编号）', 'generalChief'],
  ['提醒方式（群聊/单聊）', 'reminderDelivery'],
  ['乡级河湖长巡河周期（月/季度/年）', 'townshipPeriod'],
  ['乡级河湖长每周期巡河次数', 'townshipTimes'],
  ['村级河湖长巡河周期（月/季度/年）', 'villagePeriod'],
  ['村级河湖长每周期巡河次数', 'villageTimes'],
  ['提醒时间（点）', 'reminderHour'],
  ['月度职责提前提醒天数（如 7、2）', 'monthDaysBefore'],
  ['季度职责提前提醒天数（如 20、5）', 'quarterDaysBefore'],
  ['明查暗访提前天数', 'liaisonDaysBefore'],
  ['问题编号前缀（如 金口河）', 'issuePrefix'],
  ['问题到期前提醒天数（如 3、1）', 'issueRemindDaysBefore'],
  ['问题逾期几天后建议提示', 'promptAfterDays'],
  ['问题逾期几天后建议通报', 'bulletinAfterDays'],
  ['责任退回时限（小时）', 'returnWindowHours'],
  ['一般问题整改期限（工作日）', 'deadlineNormal'],
  ['加急问题整改期限（工作日）', 'deadlineExpedited'],
  ['紧急问题整改期限（工作日）', 'deadlineUrgent'],
  ['延期通常延长（工作日）', 'extensionWorkingDays'],
  ['会议纪要编号前缀（如 金总河长办纪）', 'minutesPrefix'],
  ['印发文件编号前缀（如 金总河长办发）', 'documentPrefix'],
  ['会前提醒小时数（如 24、2）', 'meetingRemindHoursBefore'],
  ['纪要待审定几个工作日后提醒', 'approvalRemindAfterDays'],
  ['总河长会议最晚召开提醒日（月-日）', 'generalMeetingBy'],
  ['联席会议轮值提醒日（月-日）', 'jointMeetingRemindOn'],
  ['四张清单印发期限（月-日）', 'fourListsDueOn'],
  ['四张清单期限前提醒天数（如 30、7）', 'fourListsRemindDaysBefore'],
];

/** Cell values come as numbers, rich text, hyperlinks or formulas; the directory wants text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value)
    return value.richText
      .map((r) => r.text)
      .join('')
      .trim();
  if ('text' in value && typeof value.text === 'string') return value.text.trim();
  if ('result' in value) return cellText(value.result);
  return '';
}

const list = (text: string) =>
  text
    .split(/[,，、;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
function pairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(text)) {
    const [key, value] = item.split(/[:：]/);
    if (key && value) out[key.trim()] = value.trim();
    else out[item] = '';
  }
  return out;
}

interface RowRef {
  sheet: string;
  row: number;
  headers: Record<string, string>;
}

/** Reads a sheet's data rows (header in row 1), skipping blank rows; keeps each row's number. */
function readSheet(book: ExcelJS.Workbook, spec: SheetSpec, refs: RowRef[]): Array<Record<string, string>> {
  const sheet = book.getWorksheet(spec.name);
  if (!sheet) return [];
  const columnOf = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => columnOf.set(cellText(cell.value), col));
  const rows: Array<Record<string, string>> = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const record: Record<string, string> = {};
    for (const [header, field] of spec.columns) {
      const col = columnOf.get(header);
      record[field] = col ? cellText(row.getCell(col).value) : '';
    }
    if (Object.values(record).every((v) => v === '')) continue;
    rows.push(record);
    refs.push({ sheet: spec.name, row: r, headers: Object.fromEntries(spec.columns.map(([h, f]) => [f, h])) });
  }
  return rows;
}

const optional = (text: string | undefined) => (text ? text : undefined);
const numberOr = (text: string | undefined, fallback: number) => (text ? Number(text) : fallback);

const WORKBOOK_UNREADABLE = '工作簿读不出名录时无法核对其内容；改正后重新发送，机器人会一次列出内容中的所有问题。';

/** Reads a workbook into a directory, with problems located by sheet, row and column. */
export async function parseWorkbookDirectory(data: Buffer | ArrayBuffer): Promise<ParsedDirectory> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as ArrayBuffer);
  } catch {
    return {
      ok: false,
      problems: [
        {
          where: '文件',
          message:
            '无法作为 Excel 工作簿打开（文件可能已损坏，或是 .xls 等其他格式）；请在 Excel 或 WPS 中“另存为 .xlsx 工作簿”后重新发送',
        },
      ],
      unreadable: WORKBOOK_UNREADABLE,
    };
  }
  const missing = [SETTINGS_SHEET, PEOPLE.name, UNITS.name, WATERS.name].filter((name) => !book.getWorksheet(name));
  if (missing.length > 0) {
    return {
      ok: false,
      problems: missing.map((name) => ({
        where: `工作表「${name}」`,
        message:
          '缺少此工作表（工作表名须与模板一致）；请把工作表改回原名，或在名录模板（管理员用 npm run org:template 生成）中填写',
      })),
      unreadable: WORKBOOK_UNREADABLE,
    };
  }

  const settings: Record<string, string> = {};
  const settingRows = new Map<string, number>();
  const settingsSheet = book.getWorksheet(SETTINGS_SHEET);
  settingsSheet?.eachRow((row, r) => {
    const label = cellText(row.getCell(1).value);
    const key = SETTING_ROWS.find(([l]) => l === label)?.[1];
    if (key) {
      settings[key] = cellText(row.getCell(2).value);
      settingRows.set(key, r);
    }
  });

  const peopleRefs: RowRef[] = [];
  const unitRefs: RowRef[] = [];
  const waterRefs: RowRef[] = [];
  const people = readSheet(book, PEOPLE, peopleRefs);
  const units = readSheet(book, UNITS, unitRefs);
  const waters = readSheet(book, WATERS, waterRefs);
  const holidays: string[] = [];
  const makeUpWorkdays: string[] = [];
  book.getWorksheet(CALENDAR_SHEET)?.eachRow((row, r) => {
    if (r === 1) return;
    const date = cellText(row.getCell(1).value);
    if (!date) return;
    (cellText(row.getCell(2).value) === '调休上班' ? makeUpWorkdays : holidays).push(date);
  });

  const raw = {
    district: optional(settings.district),
    goLiveOn: optional(settings.goLiveOn),
    generalChief: optional(settings.generalChief),
    reminderDelivery:
      settings.reminderDelivery === '单聊'
        ? 'direct'
        : settings.reminderDelivery === '群聊' || !settings.reminderDelivery
          ? 'groupChat'
          : settings.reminderDelivery,
    duties: {
      townshipChief: {
        period: PERIODS[settings.townshipPeriod ?? '月'] ?? settings.townshipPeriod,
        times: Number(settings.townshipTimes || 1),
      },
      villageChief: {
        period: PERIODS[settings.villagePeriod ?? '月'] ?? settings.villagePeriod,
        times: Number(settings.villageTimes || 1),
      },
    },
    calendar: { holidays, makeUpWorkdays },
    reminders: {
      hour: numberOr(settings.reminderHour, DEFAULT_REMINDER_SETTINGS.hour),
      monthDaysBefore: settings.monthDaysBefore
        ? list(settings.monthDaysBefore).map(Number)
        : DEFAULT_REMINDER_SETTINGS.monthDaysBefore,
      quarterDaysBefore: settings.quarterDaysBefore
        ? list(settings.quarterDaysBefore).map(Number)
        : DEFAULT_REMINDER_SETTINGS.quarterDaysBefore,
      liaisonDaysBefore: numberOr(settings.liaisonDaysBefore, DEFAULT_REMINDER_SETTINGS.liaisonDaysBefore),
    },
    issues: {
      numberPrefix: optional(settings.issuePrefix),
      remindDaysBefore: settings.issueRemindDaysBefore
        ? list(settings.issueRemindDaysBefore).map(Number)
        : DEFAULT_ISSUE_SETTINGS.remindDaysBefore,
      promptAfterDays: numberOr(settings.promptAfterDays, DEFAULT_ISSUE_SETTINGS.promptAfterDays),
      bulletinAfterDays: numberOr(settings.bulletinAfterDays, DEFAULT_ISSUE_SETTINGS.bulletinAfterDays),
      returnWindowHours: numberOr(settings.returnWindowHours, DEFAULT_ISSUE_SETTINGS.returnWindowHours),
      deadlineWorkingDays: {
        normal: numberOr(settings.deadlineNormal, DEFAULT_ISSUE_SETTINGS.deadlineWorkingDays.normal),
        expedited: numberOr(settings.deadlineExpedited, DEFAULT_ISSUE_SETTINGS.deadlineWorkingDays.expedited),
        urgent: numberOr(settings.deadlineUrgent, DEFAULT_ISSUE_SETTINGS.deadlineWorkingDays.urgent),
      },
      extensionWorkingDays: numberOr(settings.extensionWorkingDays, DEFAULT_ISSUE_SETTINGS.extensionWorkingDays),
    },
    meetings: {
      minutesPrefix: optional(settings.minutesPrefix),
      documentPrefix: optional(settings.documentPrefix),
      remindHoursBefore: settings.meetingRemindHoursBefore
        ? list(settings.meetingRemindHoursBefore).map(Number)
        : DEFAULT_MEETING_SETTINGS.remindHoursBefore,
      approvalRemindAfterDays: numberOr(
        settings.approvalRemindAfterDays,
        DEFAULT_MEETING_SETTINGS.approvalRemindAfterDays,
      ),
      generalMeetingBy: optional(settings.generalMeetingBy) ?? DEFAULT_MEETING_SETTINGS.generalMeetingBy,
      jointMeetingRemindOn: optional(settings.jointMeetingRemindOn) ?? DEFAULT_MEETING_SETTINGS.jointMeetingRemindOn,
      fourListsDueOn: optional(settings.fourListsDueOn) ?? DEFAULT_MEETING_SETTINGS.fourListsDueOn,
      fourListsRemindDaysBefore: settings.fourListsRemindDaysBefore
        ? list(settings.fourListsRemindDaysBefore).map(Number)
        : DEFAULT_MEETING_SETTINGS.fourListsRemindDaysBefore,
    },
    people: people.map((p) => ({
      id: p.id,
      name: p.name,
      mobile: optional(p.mobile),
      email: optional(p.email),
      openId: optional(p.openId),
    })),
    units: units.map((u) => ({
      id: u.id,
      name: u.name,
      kind: UNIT_KINDS[u.kind ?? ''] ?? u.kind,
      members: list(u.members ?? ''),
      chat: optional(u.chat),
      head: optional(u.head),
    })),
    waterBodies: waters.map((w) => ({
      id: w.id,
      name: w.name,
      kind: w.kind === '湖' ? 'lake' : w.kind === '河' || !w.kind ? 'river' : w.kind,
      districtChief: optional(w.districtChief),
      liaisonUnit: optional(w.liaisonUnit),
      townships: list(w.townships ?? ''),
      townshipChiefs: pairs(w.townshipChiefs ?? ''),
      villageChiefs: pairs(w.villageChiefs ?? ''),
      crossBoundary: w.crossBoundary === '是',
      neighbours: list(w.neighbours ?? ''),
      chat: optional(w.chat),
    })),
  };

  const locate = (path: ReadonlyArray<PropertyKey>): string => {
    const [section, index, field] = path;
    const refs =
      section === 'people'
        ? peopleRefs
        : section === 'units'
          ? unitRefs
          : section === 'waterBodies'
            ? waterRefs
            : undefined;
    if (refs && typeof index === 'number') {
      const ref = refs[index];
      if (ref)
        return `「${ref.sheet}」第 ${ref.row} 行${typeof field === 'string' && ref.headers[field] ? `（${ref.headers[field]}）` : ''}`;
    }
    if (refs) return `工作表「${refs === peopleRefs ? PEOPLE.name : refs === unitRefs ? UNITS.name : WATERS.name}」`;
    const settingKey =
      section === 'duties'
        ? `${String(index).replace('Chief', '')}${field === 'times' ? 'Times' : 'Period'}`
        : String(section);
    const row = settingRows.get(settingKey);
    return row ? `「${SETTINGS_SHEET}」第 ${row} 行` : `工作表「${SETTINGS_SHEET}」`;
  };
  return toDirectory(raw, locate);
}

/** Writes a directory as the workbook template office staff fill in. */
export async function directoryToWorkbook(directory: Directory): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '河湖长助手';
  const kindNames = invert(UNIT_KINDS);
  const periodNames = invert(PERIODS);
  const header = (sheet: ExcelJS.Worksheet, headers: string[]) => {
    sheet.addRow(headers).font = { bold: true };
    sheet.columns.forEach((c) => (c.width = 18));
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  };

  const settings = book.addWorksheet(SETTINGS_SHEET);
  header(settings, ['项目', '内容']);
  const values: Record<string, string | number> = {
    district: directory.district,
    goLiveOn: directory.goLiveOn ?? '',
    generalChief: directory.generalChief,
    reminderDelivery: directory.reminderDelivery === 'direct' ? '单聊' : '群聊',
    townshipPeriod: periodNames[directory.duties.townshipChief.period] ?? '月',
    townshipTimes: directory.duties.townshipChief.times,
    villagePeriod: periodNames[directory.duties.villageChief.period] ?? '月',
    villageTimes: directory.duties.villageChief.times,
    reminderHour: directory.reminders.hour,
    monthDaysBefore: directory.reminders.monthDaysBefore.join('、'),
    quarterDaysBefore: directory.reminders.quarterDaysBefore.join('、'),
    liaisonDaysBefore: directory.reminders.liaisonDaysBefore,
    issuePrefix: directory.issues.numberPrefix ?? '',
    issueRemindDaysBefore: directory.issues.remindDaysBefore.join('、'),
    promptAfterDays: directory.issues.promptAfterDays,
    bulletinAfterDays: directory.issues.bulletinAfterDays,
    returnWindowHours: directory.issues.returnWindowHours,
    deadlineNormal: directory.issues.deadlineWorkingDays.normal,
    deadlineExpedited: directory.issues.deadlineWorkingDays.expedited,
    deadlineUrgent: directory.issues.deadlineWorkingDays.urgent,
    extensionWorkingDays: directory.issues.extensionWorkingDays,
    minutesPrefix: directory.meetings.minutesPrefix ?? '',
    documentPrefix: directory.meetings.documentPrefix ?? '',
    meetingRemindHoursBefore: directory.meetings.remindHoursBefore.join('、'),
    approvalRemindAfterDays: directory.meetings.approvalRemindAfterDays,
    generalMeetingBy: directory.meetings.generalMeetingBy,
    jointMeetingRemindOn: directory.meetings.jointMeetingRemindOn,
    fourListsDueOn: directory.meetings.fourListsDueOn,
    fourListsRemindDaysBefore: directory.meetings.fourListsRemindDaysBefore.join('、'),
  };
  for (const [label, key] of SETTING_ROWS) settings.addRow([label, values[key] ?? '']);
  settings.getColumn(1).width = 36;

  const people = book.addWorksheet(PEOPLE.name);
  header(
    people,
    PEOPLE.columns.map(([h]) => h),
  );
  // Mobiles as text, so Excel keeps them whole.
  for (const p of directory.people) people.addRow([p.id, p.name, p.mobile ?? '', p.email ?? '', p.openId ?? '']);
  people.getColumn(3).numFmt = '@';

  const units = book.addWorksheet(UNITS.name);
  header(
    units,
    UNITS.columns.map(([h]) => h),
  );
  for (const u of directory.units)
    units.addRow([u.id, u.name, kindNames[u.kind] ?? u.kind, u.members.join('、'), u.chatId ?? '', u.head ?? '']);

  const waters = book.addWorksheet(WATERS.name);
  header(
    waters,
    WATERS.columns.map(([h]) => h),
  );
  const joinPairs = (record: Record<string, string>) =>
    Object.entries(record)
      .map(([k, v]) => `${k}:${v}`)
      .join('、');
  for (const w of directory.waterBodies) {
    waters.addRow([
      w.id,
      w.name,
      w.kind === 'lake' ? '湖' : '河',
      w.districtChief ?? '',
      w.liaisonUnit ?? '',
      w.townships.join('、'),
      joinPairs(w.townshipChiefs),
      joinPairs(w.villageChiefs),
      w.crossBoundary ? '是' : '否',
      w.neighbours.join('、'),
      w.chatId ?? '',
    ]);
  }

  const calendar = book.addWorksheet(CALENDAR_SHEET);
  header(calendar, ['日期', '类型（放假/调休上班）']);
  for (const day of directory.calendar.holidays) calendar.addRow([day, '放假']);
  for (const day of directory.calendar.makeUpWorkdays) calendar.addRow([day, '调休上班']);

  return Buffer.from(await book.xlsx.writeBuffer());
}
