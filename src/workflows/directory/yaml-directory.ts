import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import {
  checkDirectory,
  DEFAULT_REMINDER_SETTINGS,
  type Directory,
  type DirectoryProblem,
} from '../../domain/directory/directory.js';
import { DEFAULT_ISSUE_SETTINGS } from '../../domain/issues/supervision.js';
import { DEFAULT_MEETING_SETTINGS } from '../../domain/meetings/meeting-settings.js';
import { parseLocalDate } from '../../domain/time/zoned.js';
import { yamlSyntaxProblems } from './yaml-errors.js';

/**
 * The directory as IT keeps it: a YAML file (see examples/jinkouhe.yaml). Everything is
 * validated before anything is written; each problem names its YAML path and line.
 */

const id = z
  .string({ error: '须填写编号' })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, '编号只能使用字母、数字、-、_、.');
const name = z.string({ error: '须填写名称' }).trim().min(1, '须填写名称');
const chatId = z
  .string()
  .trim()
  .regex(/^oc_[A-Za-z0-9_]+$/, '群聊 ID 应形如 oc_xxxxxxxx');

/** Accepts 138-0000-0001, 138 0000 0001 and +86 13800000001; stores 13800000001. */
export const MobileSchema = z
  .union([z.string(), z.number()])
  .transform((v) =>
    String(v)
      .replace(/[\s-]/g, '')
      .replace(/^(\+?86)(?=1\d{10}$)/, ''),
  )
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, '手机号格式不正确（应为 11 位中国大陆手机号）'));

const ObligationSchema = z.object({
  period: z.enum(['month', 'quarter', 'year'], { error: '周期应为 month、quarter 或 year' }),
  times: z.number().int().min(1, '次数至少为 1').max(31),
});

const PersonSchema = z
  .object({
    id,
    name,
    openId: z
      .string()
      .trim()
      .regex(/^ou_[A-Za-z0-9_]+$/, '飞书 open_id 应形如 ou_xxxxxxxx')
      .optional(),
    mobile: MobileSchema.optional(),
    email: z.email('邮箱格式不正确').optional(),
  })
  .strict();

const UnitSchema = z
  .object({
    id,
    name,
    kind: z.enum(['generalChiefOffice', 'riverChiefOffice', 'liaisonUnit', 'department', 'township'], {
      error: '单位类型应为 generalChiefOffice、riverChiefOffice、liaisonUnit、department 或 township',
    }),
    members: z.array(id).default([]),
    chat: chatId.optional(),
    head: id.optional(),
  })
  .strict();

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期应形如 11-01（月-日）');

const WaterBodySchema = z
  .object({
    id,
    name,
    kind: z.enum(['river', 'lake'], { error: '类型应为 river（河）或 lake（湖）' }).default('river'),
    districtChief: id.optional(),
    liaisonUnit: id.optional(),
    townships: z.array(id).default([]),
    townshipChiefs: z.record(z.string(), id).default({}),
    villageChiefs: z.record(z.string(), id).default({}),
    crossBoundary: z.boolean().default(false),
    neighbours: z.array(name).default([]),
    chat: chatId.optional(),
  })
  .strict();

/** Working days proposed for a deadline or an extension. */
const workingDays = z.number().int().min(1, '工作日数至少为 1').max(250, '工作日数至多为 250');

export const DirectoryFileSchema = z
  .object({
    district: name,
    goLiveOn: z
      .string({ error: '启用日期应写成 2026-12-02' })
      .refine((v) => parseLocalDate(v) !== undefined, '启用日期应写成 2026-12-02')
      .optional(),
    generalChief: id,
    reminderDelivery: z.enum(['groupChat', 'direct']).default('groupChat'),
    duties: z
      .object({ townshipChief: ObligationSchema, villageChief: ObligationSchema })
      .default({ townshipChief: { period: 'month', times: 1 }, villageChief: { period: 'month', times: 1 } }),
    calendar: z
      .object({
        holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应形如 2026-10-01')).default([]),
        makeUpWorkdays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应形如 2026-09-27')).default([]),
      })
      .strict()
      .default({ holidays: [], makeUpWorkdays: [] }),
    reminders: z
      .object({
        hour: z
          .number()
          .int()
          .min(6, '提醒时间应在 6 点到 20 点之间')
          .max(20, '提醒时间应在 6 点到 20 点之间')
          .default(DEFAULT_REMINDER_SETTINGS.hour),
        monthDaysBefore: z
          .array(z.number().int().min(1).max(28))
          .min(1)
          .default(DEFAULT_REMINDER_SETTINGS.monthDaysBefore),
        quarterDaysBefore: z
          .array(z.number().int().min(1).max(90))
          .min(1)
          .default(DEFAULT_REMINDER_SETTINGS.quarterDaysBefore),
        liaisonDaysBefore: z.number().int().min(1).max(28).default(DEFAULT_REMINDER_SETTINGS.liaisonDaysBefore),
      })
      .strict()
      .default(DEFAULT_REMINDER_SETTINGS),
    issues: z
      .object({
        numberPrefix: z.string().trim().min(1).max(12).optional(),
        remindDaysBefore: z
          .array(z.number().int().min(1, '提前天数至少为 1').max(30))
          .default(DEFAULT_ISSUE_SETTINGS.remindDaysBefore),
        promptAfterDays: z.number().int().min(0).max(90).default(DEFAULT_ISSUE_SETTINGS.promptAfterDays),
        bulletinAfterDays: z.number().int().min(0).max(180).default(DEFAULT_ISSUE_SETTINGS.bulletinAfterDays),
        returnWindowHours: z
          .number()
          .int()
          .min(1, '责任退回时限至少 1 小时')
          .max(240)
          .default(DEFAULT_ISSUE_SETTINGS.returnWindowHours),
        deadlineWorkingDays: z
          .object({ normal: workingDays, expedited: workingDays, urgent: workingDays })
          .strict()
          .default(DEFAULT_ISSUE_SETTINGS.deadlineWorkingDays),
        extensionWorkingDays: workingDays.default(DEFAULT_ISSUE_SETTINGS.extensionWorkingDays),
      })
      .strict()
      .refine((s) => s.bulletinAfterDays > s.promptAfterDays, {
        message: '建议通报的逾期天数须大于建议提示的天数',
        path: ['bulletinAfterDays'],
      })
      .default(DEFAULT_ISSUE_SETTINGS),
    meetings: z
      .object({
        minutesPrefix: z.string().trim().min(1).max(16).optional(),
        documentPrefix: z.string().trim().min(1).max(16).optional(),
        remindHoursBefore: z
          .array(z.number().int().min(1, '提前小时数至少为 1').max(240))
          .default(DEFAULT_MEETING_SETTINGS.remindHoursBefore),
        approvalRemindAfterDays: z
          .number()
          .int()
          .min(1, '审定提醒间隔至少 1 个工作日')
          .max(30)
          .default(DEFAULT_MEETING_SETTINGS.approvalRemindAfterDays),
        generalMeetingBy: monthDay.default(DEFAULT_MEETING_SETTINGS.generalMeetingBy),
        jointMeetingRemindOn: monthDay.default(DEFAULT_MEETING_SETTINGS.jointMeetingRemindOn),
        fourListsDueOn: monthDay.default(DEFAULT_MEETING_SETTINGS.fourListsDueOn),
        fourListsRemindDaysBefore: z
          .array(z.number().int().min(1).max(120))
          .default(DEFAULT_MEETING_SETTINGS.fourListsRemindDaysBefore),
      })
      .strict()
      .default(DEFAULT_MEETING_SETTINGS),
    people: z.array(PersonSchema).min(1, '人员名单不能为空'),
    units: z.array(UnitSchema).min(1, '单位名单不能为空'),
    waterBodies: z.array(WaterBodySchema).min(1, '河湖名单不能为空'),
  })
  .strict();

export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;

/**
 * `unreadable` says why only some problems could be found: the file could not be read as a
 * directory at all (broken YAML, not a workbook, sheets missing), so its content is unchecked.
 */
export type ParsedDirectory =
  | { ok: true; directory: Directory }
  | { ok: false; problems: DirectoryProblem[]; unreadable?: string };

const YAML_UNREADABLE =
  '以上是文件的全部格式错误；格式有误时无法读出名录内容，改正后重新发送，机器人会一次列出内容中的所有问题。';

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)),
    '',
  );
}

const TYPE_NAMES: Record<string, string> = {
  array: '列表',
  string: '文字',
  number: '数字',
  boolean: 'true 或 false',
  object: '键值对',
};

/** zod's own messages are English; the schema's custom ones are already Chinese. */
function inChinese(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? '缺少此项' : `类型不正确，应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === 'unrecognized_keys') return `无法识别的字段：${issue.keys.join('、')}（请检查拼写）`;
  return /[\u4e00-\u9fff]/.test(issue.message) ? issue.message : `取值无效：${issue.message}`;
}

/** Parses and checks a YAML directory. Never throws for bad input: problems are returned. */
export function parseYamlDirectory(source: string): ParsedDirectory {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    // Past a syntax error the parser no longer knows which block a line belongs to, so the
    // content cannot be checked: every syntax error is reported, and nothing else.
    return { ok: false, problems: yamlSyntaxProblems(doc.errors, lineCounter), unreadable: YAML_UNREADABLE };
  }
  const locate = (path: ReadonlyArray<PropertyKey>): string => {
    // The deepest node that exists along the path gives the line.
    for (let depth = path.length; depth >= 0; depth--) {
      const node: unknown = doc.getIn(path.slice(0, depth) as Array<string | number>, true);
      if (isNode(node) && node.range) {
        const where = pathText(path) || '文件';
        return `${where}（第 ${lineCounter.linePos(node.range[0]).line} 行）`;
      }
    }
    return pathText(path) || '文件';
  };
  return toDirectory(doc.toJS(), locate);
}

/**
 * Validates a directory in file shape (from YAML or a workbook) and checks its references.
 * `locate` turns a path into where the person should look: a YAML path and line, or a sheet and row.
 */
export function toDirectory(raw: unknown, locate: (path: ReadonlyArray<PropertyKey>) => string): ParsedDirectory {
  const parsed = DirectoryFileSchema.safeParse(raw);
  if (!parsed.success) {
    // Every problem in one answer: the cross-references are checked too, on the file as
    // written, leaving out what the field checks above already report for the same place.
    const problems = parsed.error.issues.map((issue) => ({ where: locate(issue.path), message: inChinese(issue) }));
    const reported = new Set(problems.map((p) => p.where));
    const references = checkDirectory(salvage(raw), locate).filter((p) => !reported.has(p.where));
    return { ok: false, problems: [...problems, ...references] };
  }
  const directory = fromFile(parsed.data);
  const problems = checkDirectory(directory, locate);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, directory };
}

function fromFile(file: DirectoryFile): Directory {
  return {
    district: file.district,
    generalChief: file.generalChief,
    ...(file.goLiveOn ? { goLiveOn: file.goLiveOn.trim() } : {}),
    reminderDelivery: file.reminderDelivery,
    duties: file.duties,
    calendar: file.calendar,
    reminders: file.reminders,
    issues: file.issues,
    meetings: file.meetings,
    people: file.people.map((p) => ({ id: p.id, name: p.name, openId: p.openId, mobile: p.mobile, email: p.email })),
    units: file.units.map((u) => ({
      id: u.id,
      name: u.name,
      kind: u.kind,
      members: u.members,
      chatId: u.chat,
      head: u.head,
    })),
    waterBodies: file.waterBodies.map((w) => ({
      id: w.id,
      name: w.name,
      kind: w.kind,
      districtChief: w.districtChief,
      liaisonUnit: w.liaisonUnit,
      townships: w.townships,
      townshipChiefs: w.townshipChiefs,
      villageChiefs: w.villageChiefs,
      crossBoundary: w.crossBoundary,
      neighbours: w.neighbours,
      chatId: w.chat,
    })),
  };
}

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const items = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.map(record) : []);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v).trim() || undefined : undefined;
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.map(text).filter((t): t is string => !!t) : []);
const textRecord = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(record(v)).flatMap(([k, x]) => (text(x) ? [[k, text(x) as string]] : [])));

/**
 * The directory as written, however malformed, for the cross-reference checks: every id the
 * file names counts, so a person with a bad mobile is not also reported as missing wherever
 * they are referenced. Settings are not needed by those checks and take their defaults.
 */
function salvage(raw: unknown): Directory {
  const file = record(raw);
  return {
    district: text(file.district) ?? '',
    generalChief: text(file.generalChief) ?? '',
    reminderDelivery: 'groupChat',
    duties: { townshipChief: { period: 'month', times: 1 }, villageChief: { period: 'month', times: 1 } },
    calendar: { holidays: [], makeUpWorkdays: [] },
    reminders: DEFAULT_REMINDER_SETTINGS,
    issues: DEFAULT_ISSUE_SETTINGS,
    meetings: DEFAULT_MEETING_SETTINGS,
    people: items(file.people).map((p) => ({
      id: text(p.id) ?? '',
      name: text(p.name) ?? text(p.id) ?? '',
      openId: text(p.openId),
      mobile: text(p.mobile),
      email: text(p.email),
    })),
    units: items(file.units).map((u) => ({
      id: text(u.id) ?? '',
      name: text(u.name) ?? text(u.id) ?? '',
      kind: (text(u.kind) ?? 'department') as Directory['units'][number]['kind'],
      members: texts(u.members),
      chatId: text(u.chat),
      head: text(u.head),
    })),
    waterBodies: items(file.waterBodies).map((w) => ({
      id: text(w.id) ?? '',
      name: text(w.name) ?? text(w.id) ?? '',
      kind: 'river',
      districtChief: text(w.districtChief),
      liaisonUnit: text(w.liaisonUnit),
      townships: texts(w.townships),
      townshipChiefs: textRecord(w.townshipChiefs),
      villageChiefs: textRecord(w.villageChiefs),
      crossBoundary: w.crossBoundary === true,
      neighbours: texts(w.neighbours),
      chatId: text(w.chat),
    })),
  };
}
