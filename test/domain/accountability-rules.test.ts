import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Admonition,
  admonitionTransition,
  mayInitiateAdmonition,
  mayIssueNotice,
  mayOrganiseAdmonition,
  reviewDue,
} from '../../src/domain/accountability/sanction.js';
import { CHAINS, chainTransition, DRAFT, stepActors } from '../../src/domain/approvals/chain.js';
import { parseYamlDirectory } from '../../src/workflows/directory/yaml-directory.js';

/** The 约谈 after an allowed step (a refusal fails the test with its reason). */
function next(result: ReturnType<typeof admonitionTransition>): Admonition {
  if (!result.ok) throw new Error(result.reason);
  return result.next;
}

/** Who may do what in art. 16–21, as tables over the example district (with office heads set). */

const yaml = readFileSync(new URL('../../examples/jinkouhe.yaml', import.meta.url), 'utf8').replace(
  'kind: generalChiefOffice, members: [zhao-zhuren]',
  'kind: generalChiefOffice, head: zhao-zhuren, members: [zhao-zhuren]',
);
const parsed = parseYamlDirectory(yaml);
if (!parsed.ok) throw new Error('example directory does not parse');
const directory = parsed.directory;
const PEOPLE = directory.people.map((p) => p.id);

describe('提示、通报、约谈: who may', () => {
  it('issue a 提示 or 通报 (art. 20), call a 约谈 and organise one (art. 21)', () => {
    const row = (id: string) => [
      mayIssueNotice(directory, id),
      mayInitiateAdmonition(directory, id),
      mayOrganiseAdmonition(directory, id),
    ];
    expect(Object.fromEntries(PEOPLE.map((id) => [id, row(id)]))).toEqual({
      'zhang-zonghezhang': [false, true, false], // 区级总河长
      'li-hezhang': [false, true, false], // 区级河湖长
      'wang-hezhang': [false, true, false],
      'zhao-zhuren': [true, true, false], // 区总河长办公室, its head
      'qian-hezhangban': [true, false, true], // 区河长制办公室 staff (not its head here)
      'sun-shuiwu': [false, false, false],
      'zhou-shengtai': [false, false, false],
      'wu-yonghe': [false, false, false],
      'zheng-jinhe': [false, false, false],
      'feng-gongan': [false, false, false],
      'chen-xinmin': [false, false, false],
      'chu-tongheb': [false, false, false],
    });
  });
});

describe('a 约谈', () => {
  const start = new Date('2026-12-03T09:30:00+08:00');
  const scheduled: Admonition = {
    initiatorId: 'li-hezhang',
    interviewee: '镇长',
    startsAt: start,
    place: '会议室',
    participants: [],
    stage: 'scheduled',
  };
  const after = new Date('2026-12-03T11:00:00+08:00');
  const reviewOn = new Date('2026-12-20T09:00:00+08:00');

  it('is recorded after it starts, reviewed after it is recorded, referred once after it is held', () => {
    expect(admonitionTransition(scheduled, { type: 'review', outcome: 'fulfilled', note: '' }, 'qian', after)).toEqual({
      ok: false,
      reason: '请先记录约谈情况，再复核。',
      forbidden: false,
    });
    expect(
      admonitionTransition(scheduled, { type: 'refer', body: '纪委', on: after, note: '' }, 'qian', after),
    ).toEqual({ ok: false, reason: '约谈后方可移交问题线索。', forbidden: false });
    const held = next(
      admonitionTransition(scheduled, { type: 'record', record: '记录', commitments: '承诺', reviewOn }, 'qian', after),
    );
    expect(held.stage).toBe('held');
    expect(reviewDue(held, new Date('2026-12-20T08:59:00+08:00'))).toBe(false);
    expect(reviewDue(held, reviewOn)).toBe(true);
    const referred = next(
      admonitionTransition(held, { type: 'refer', body: '纪委', on: after, note: '' }, 'qian', after),
    );
    expect(admonitionTransition(referred, { type: 'refer', body: '纪委', on: after, note: '' }, 'qian', after)).toEqual(
      { ok: false, reason: '问题线索已移交。', forbidden: false },
    );
    const reviewed = next(
      admonitionTransition(referred, { type: 'review', outcome: 'unfulfilled', note: '未拆除' }, 'qian', after),
    );
    expect([reviewed.stage, reviewDue(reviewed, reviewOn)]).toEqual(['reviewed', false]);
  });
});

describe('the approval chains (art. 16, 18)', () => {
  it('let exactly the step’s people pass it; a return goes back one step and needs a comment', () => {
    const chain = CHAINS.assessment;
    expect(chain.map((step) => stepActors(directory, step))).toEqual([
      ['qian-hezhangban'],
      ['zhao-zhuren'],
      ['zhang-zonghezhang'],
      ['zhao-zhuren', 'qian-hezhangban'],
    ]);
    for (let position = 0; position < chain.length; position++) {
      const allowed = PEOPLE.filter(
        (id) => chainTransition(directory, 'assessment', position, { type: 'pass' }, id).ok,
      );
      expect(allowed).toEqual(
        stepActors(directory, chain[position]!)
          .slice()
          .sort((a, b) => PEOPLE.indexOf(a) - PEOPLE.indexOf(b)),
      );
    }
    expect(
      chainTransition(directory, 'assessment', 2, { type: 'return', comment: '核实' }, 'zhang-zonghezhang'),
    ).toMatchObject({ ok: true, next: 1 });
    expect(
      chainTransition(directory, 'assessment', 0, { type: 'return', comment: '核实' }, 'qian-hezhangban'),
    ).toMatchObject({ ok: true, next: DRAFT });
    expect(chainTransition(directory, 'assessment', 2, { type: 'return', comment: ' ' }, 'zhang-zonghezhang')).toEqual({
      ok: false,
      reason: '请写明退回意见。',
      forbidden: false,
    });
    expect(chainTransition(directory, 'assessment', 3, { type: 'return', comment: '核实' }, 'zhao-zhuren')).toEqual({
      ok: false,
      reason: '已经区级总河长审定，不能退回。',
      forbidden: true,
    });
    expect(chainTransition(directory, 'assessment', DRAFT, { type: 'submit' }, 'zhao-zhuren')).toEqual({
      ok: false,
      reason: '由区河长制办公室提交。',
      forbidden: true,
    });
    expect(chainTransition(directory, 'assessment', 4, { type: 'pass' }, 'zhao-zhuren')).toEqual({
      ok: false,
      reason: '已印发，不能再更改。',
      forbidden: true,
    });
    expect(CHAINS.commendation).toEqual(['directorsMeeting', 'generalChief', 'publish']);
  });
});
