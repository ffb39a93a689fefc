import { parse } from 'yaml';
import { z } from 'zod';
import { type AssessmentScheme, MEASURES } from '../../domain/assessment/scheme.js';

/**
 * The scoring scheme as the office keeps it (examples/assessment-scheme.yaml). Everything is
 * checked before it is stored; each problem is said in Chinese with where it is.
 */

const points = (what: string) =>
  z
    .number({ error: `${what}应为数字` })
    .min(0, `${what}不能为负数`)
    .max(1000, `${what}过大`);

const SchemeFile = z.object({
  name: z.string({ error: '须填写考核细则名称（name）' }).trim().min(1, '须填写考核细则名称（name）').max(100),
  year: z.number().int().min(2000).max(2100).optional(),
  items: z
    .array(
      z.object({
        id: z
          .string({ error: '须填写项目编号（id）' })
          .regex(/^[A-Za-z0-9_-]{1,32}$/, '项目编号只能使用字母、数字、-、_'),
        name: z.string({ error: '须填写项目名称（name）' }).trim().min(1).max(50),
        weight: z
          .number({ error: '分值（weight）应为数字' })
          .gt(0, '分值（weight）应大于 0')
          .max(1000, '分值（weight）过大'),
        measure: z.enum(MEASURES, { error: `计分方法（measure）应为 ${MEASURES.join('、')} 之一` }),
      }),
      { error: '须列出考核项目（items）' },
    )
    .min(1, '至少要有一个考核项目')
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, '项目编号（id）不能重复'),
  deductions: z.object(
    {
      prompt: points('提示扣分（prompt）'),
      bulletin: points('通报批评扣分（bulletin）'),
      admonition: points('约谈扣分（admonition）'),
      cap: points('扣分上限（cap）'),
    },
    { error: '须填写扣分标准（deductions）' },
  ),
  bonus: z.object(
    { praiseBulletin: points('通报表扬加分（praiseBulletin）'), cap: points('加分上限（cap）') },
    { error: '须填写加分标准（bonus）' },
  ),
  lateEntries: z
    .enum(['count', 'ignore'], { error: '补记的巡河是否计入考核（lateEntries）应为 count（计入）或 ignore（不计入）' })
    .default('count'),
  countFrom: z
    .string({ error: '统计起始日期（countFrom）应写成 2026-03-01' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, '统计起始日期（countFrom）应写成 2026-03-01')
    .optional(),
  incentives: z
    .object({
      townships: z
        .number({ error: '激励乡镇数（townships）应为整数' })
        .int('激励乡镇数（townships）应为整数')
        .min(0)
        .max(100),
      departments: z
        .number({ error: '激励部门数（departments）应为整数' })
        .int('激励部门数（departments）应为整数')
        .min(0)
        .max(100),
    })
    .default({ townships: 3, departments: 2 }),
});

export type SchemeParse = { ok: true; scheme: AssessmentScheme; year?: number } | { ok: false; problems: string[] };

/** Whether a YAML text looks like a scoring scheme (rather than the directory). */
export function looksLikeScheme(text: string): boolean {
  try {
    const doc = parse(text) as unknown;
    return typeof doc === 'object' && doc !== null && 'items' in doc && 'deductions' in doc;
  } catch {
    return false;
  }
}

export function parseSchemeYaml(text: string): SchemeParse {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return { ok: false, problems: [`YAML 格式错误：${(error as Error).message.split('\n')[0] ?? ''}`] };
  }
  const parsed = SchemeFile.safeParse(doc);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}：` : ''}${i.message}`),
    };
  const { year, ...scheme } = parsed.data;
  return { ok: true, scheme, year };
}
