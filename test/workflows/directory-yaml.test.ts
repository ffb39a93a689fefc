import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chiefDuties } from '../../src/domain/directory/directory.js';
import { SEED_OBLIGATIONS } from '../../src/domain/patrols/obligation.js';
import { parseYamlDirectory } from '../../src/workflows/directory/yaml-directory.js';

const example = readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url), 'utf8');

function problemsOf(source: string) {
  const result = parseYamlDirectory(source);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('YAML directory', () => {
  it('reads the shipped example district', () => {
    const result = parseYamlDirectory(example);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { directory } = result;
    expect(directory.district).toBe('金口河区');
    expect(directory.waterBodies.map((w) => w.name)).toEqual(['大渡河（金口河段）', '野牛河', '白熊沟']);
    expect(directory.people.find((p) => p.id === 'li-hezhang')?.mobile).toBe('13800000002');
    const duties = chiefDuties(directory, SEED_OBLIGATIONS);
    expect(duties.filter((d) => d.role === 'generalChief')).toEqual([
      { personId: 'zhang-zonghezhang', role: 'generalChief', obligation: { period: 'quarter', times: 1 } },
    ]);
    expect(
      duties.filter((d) => d.role === 'riverChief').map((d) => [d.personId, d.waterBodyId, d.obligation.period]),
    ).toEqual([
      ['li-hezhang', 'dadu-jinkouhe', 'month'],
      ['wang-hezhang', 'yeniu', 'month'],
    ]);
    expect(duties.filter((d) => d.role === 'villageChief').every((d) => d.obligation.times === 2)).toBe(true);
  });

  it('reports a bad mobile, an unknown reference and a duplicate with path and line', () => {
    const broken = example
      .replace('mobile: 138-0000-0003', 'mobile: 1380000')
      .replace('districtChief: wang-hezhang', 'districtChief: wang-nobody')
      .replace('{ id: zhou-shengtai,', '{ id: sun-shuiwu,');
    const problems = problemsOf(broken);
    const line = (needle: string) => broken.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const mobile = problems.find((p) => p.where.startsWith('people[2].mobile'));
    expect(mobile?.where).toBe(`people[2].mobile（第 ${line('mobile: 1380000')} 行）`);
    expect(mobile?.message).toBe('手机号格式不正确（应为 11 位中国大陆手机号）');
    expect(problemsOf(broken.replace('mobile: 1380000', 'mobile: 138-0000-0003'))).toEqual(
      expect.arrayContaining([
        {
          where: `waterBodies[1].districtChief（第 ${line('districtChief: wang-nobody')} 行）`,
          message: '野牛河的区级河湖长“wang-nobody”不在人员名单中',
        },
        {
          where: `people[6].id（第 ${line('{ id: sun-shuiwu, name: 周某某')} 行）`,
          message: '人员编号“sun-shuiwu”重复',
        },
      ]),
    );
  });

  it('requires a liaison unit for a district chief and a chief for every water body', () => {
    const problems = problemsOf(
      example
        .replace('    liaisonUnit: ecology-bureau\n', '')
        .replace('    townshipChiefs: { yonghe: wu-yonghe }\n', ''),
    );
    expect(problems.map((p) => p.message)).toEqual(['野牛河设有区级河湖长，须指定联络员单位', '白熊沟没有任何河湖长']);
  });

  it('says where the YAML itself is broken', () => {
    const problems = problemsOf('district: 金口河区\npeople: [\n');
    expect(problems[0]?.where).toMatch(/^第 \d+ 行$/);
    expect(problems[0]?.message).toContain('没有成对');
  });

  it('refuses unknown fields, which are usually typos', () => {
    const problems = problemsOf(example.replace('    crossBoundary: true\n', '    crossboundary: true\n'));
    expect(problems.some((p) => p.where.startsWith('waterBodies[0]'))).toBe(true);
  });

  it('checks the reminder settings', () => {
    const problems = problemsOf(example.replace('  hour: 9\n', '  hour: 23\n'));
    expect(problems.map((p) => p.message)).toEqual(['提醒时间应在 6 点到 20 点之间']);
    expect(problems[0]?.where).toMatch(/^reminders\.hour（第 \d+ 行）$/);
  });

  it('checks the problem settings', () => {
    const problems = problemsOf(example.replace('  bulletinAfterDays: 10\n', '  bulletinAfterDays: 2\n'));
    expect(problems.map((p) => p.message)).toEqual(['建议通报的逾期天数须大于建议提示的天数']);
    expect(problems[0]?.where).toMatch(/^issues\.bulletinAfterDays（第 \d+ 行）$/);
  });

  it('checks the meeting settings and a unit head', () => {
    const problems = problemsOf(
      example
        .replace('  generalMeetingBy: "11-01"\n', '  generalMeetingBy: "13-01"\n')
        .replace('kind: riverChiefOffice, members', 'kind: riverChiefOffice, head: nobody, members'),
    );
    // A settings problem and a reference problem in one answer (issue 15, item 12).
    expect(problems.map((p) => p.message)).toEqual([
      '日期应形如 11-01（月-日）',
      '单位“区河长制办公室”的负责人“nobody”不在人员名单中',
    ]);
    expect(problems[0]?.where).toMatch(/^meetings\.generalMeetingBy（第 \d+ 行）$/);
    const head = problemsOf(
      example.replace('kind: riverChiefOffice, members', 'kind: riverChiefOffice, head: nobody, members'),
    );
    expect(head.map((p) => p.message)).toEqual(['单位“区河长制办公室”的负责人“nobody”不在人员名单中']);
  });
});
