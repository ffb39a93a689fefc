import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sees, visibilityOf } from '../../src/domain/access/visibility.js';
import { matchName, stateWord } from '../../src/domain/queries/arguments.js';
import { numberWord, parsePeriodWord } from '../../src/domain/queries/period-words.js';
import { parseYamlDirectory } from '../../src/workflows/directory/yaml-directory.js';

const parsed = parseYamlDirectory(readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error('example directory does not parse');
const directory = parsed.directory;

describe('who sees what', () => {
  it('follows one table for every role in the example district', () => {
    const table: Array<[person: string, role: string, district: boolean, waters: string[], units: string[]]> = [
      ['qian-hezhangban', '区河长制办公室', true, [], []],
      ['zhao-zhuren', '区总河长办公室', true, [], []],
      ['zhang-zonghezhang', '区级总河长', true, [], []],
      ['li-hezhang', '大渡河区级河湖长', false, ['dadu-jinkouhe'], []],
      ['sun-shuiwu', '区水务局（大渡河联络员单位）', false, ['dadu-jinkouhe'], ['water-bureau']],
      ['zhou-shengtai', '区生态环境局（野牛河联络员单位）', false, ['yeniu'], ['ecology-bureau']],
      ['wu-yonghe', '永和镇，大渡河与白熊沟乡级河湖长', false, ['baixionggou', 'dadu-jinkouhe'], ['yonghe']],
      ['chen-xinmin', '新民村村级河湖长', false, ['dadu-jinkouhe'], []],
    ];
    for (const [person, role, district, waters, units] of table) {
      const v = visibilityOf(directory, person);
      expect({
        role,
        district: v?.district,
        waters: [...(v?.waterBodyIds ?? [])].sort(),
        units: [...(v?.unitIds ?? [])].sort(),
      }).toEqual({ role, district, waters, units });
    }
    expect(visibilityOf(directory, 'nobody')).toBeUndefined();
  });

  it('shows an item by its water body, its units or its people', () => {
    const sun = visibilityOf(directory, 'sun-shuiwu')!;
    expect(sees(sun, { waterBodyId: 'dadu-jinkouhe' })).toBe(true);
    expect(sees(sun, { waterBodyId: 'yeniu' })).toBe(false);
    expect(sees(sun, { waterBodyId: 'yeniu', units: ['water-bureau'] })).toBe(true);
    expect(sees(sun, { waterBodyId: 'yeniu', people: ['sun-shuiwu'] }, 'sun-shuiwu')).toBe(true);
    expect(sees(visibilityOf(directory, 'qian-hezhangban')!, { waterBodyId: 'yeniu' })).toBe(true);
  });
});

describe('reading names and states forgivingly', () => {
  const items = [...directory.waterBodies, ...directory.units].map((x) => ({ id: x.id, name: x.name }));

  it('finds by id, full name, a short form or a unique part', () => {
    expect(matchName('大渡河（金口河段）', items)).toMatchObject({ kind: 'one', item: { id: 'dadu-jinkouhe' } });
    expect(matchName('大渡河', items)).toMatchObject({ kind: 'one', item: { id: 'dadu-jinkouhe' } });
    expect(matchName('水务局', items)).toMatchObject({ kind: 'one', item: { id: 'water-bureau' } });
    expect(matchName('野牛', items)).toMatchObject({ kind: 'one', item: { id: 'yeniu' } });
    expect(matchName('yonghe', items)).toMatchObject({ kind: 'one', item: { id: 'yonghe' } });
  });

  it('offers the choices for an ambiguous part and the closest name for a typo', () => {
    const several = matchName('永', items);
    expect(several.kind === 'several' ? several.items.map((i) => i.id).sort() : several).toEqual([
      'yonghe',
      'yongsheng',
    ]);
    expect(matchName('大度河', items)).toMatchObject({ kind: 'suggest', item: { id: 'dadu-jinkouhe' } });
    expect(matchName('野牛沟', items)).toMatchObject({ kind: 'suggest', item: { id: 'yeniu' } });
    expect(matchName('长江', items)).toEqual({ kind: 'none' });
  });

  it('reads state words in their everyday forms', () => {
    expect(stateWord('逾期')).toMatchObject({ overdue: true, label: '逾期' });
    expect(stateWord('整改')?.states).toEqual(['rectifying']);
    expect(stateWord('办结')?.states).toEqual(['closed']);
    expect(stateWord('在办')?.states).toEqual(['reported', 'assigned', 'rectifying', 'pendingVerification']);
    expect(stateWord('大渡河')).toBeUndefined();
  });
});

describe('reading periods as people name them', () => {
  const now = new Date('2026-11-29T10:00:00+08:00');
  const key = (word: string) => parsePeriodWord(word, now, 'Asia/Shanghai')?.key;

  it('understands relative words, months, quarters and years in Chinese or Arabic numerals', () => {
    expect(['本月', '上月', '本季度', '上季度', '今年', '去年'].map(key)).toEqual([
      '2026-11',
      '2026-10',
      '2026-Q4',
      '2026-Q3',
      '2026',
      '2025',
    ]);
    expect(['三月', '3月', '十二月', '2026年3月', '2026-03', '2025年12月份'].map(key)).toEqual([
      '2026-03',
      '2026-03',
      '2026-12',
      '2026-03',
      '2026-03',
      '2025-12',
    ]);
    expect(['第二季度', '二季度', 'Q2', '2025年第一季度'].map(key)).toEqual([
      '2026-Q2',
      '2026-Q2',
      '2026-Q2',
      '2025-Q1',
    ]);
    expect(['2026年', '2026', '2025年度'].map(key)).toEqual(['2026', '2026', '2025']);
    expect(['十三月', '第五季度', '大渡河', '3'].map(key)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('reads Chinese numerals', () => {
    expect(['一', '十', '十二', '二十', '二十三', '7'].map(numberWord)).toEqual([1, 10, 12, 20, 23, 7]);
  });
});
