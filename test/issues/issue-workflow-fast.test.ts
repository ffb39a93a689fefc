import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError, StaleError } from '../../src/errors.js';
import type { IssueService } from '../../src/workflows/issues/issue-service.js';
import { buildIssue } from '../factories/issue.js';
import { issueService } from '../factories/services.js';
import { RecordingMessenger } from '../helpers/recording-messenger.js';
import { openWorkflowWorld, type WorkflowWorld } from '../helpers/workflow-world.js';

/**
 * The fast tier: the problem workflow called directly, on a real database, with a recording
 * messenger (see helpers/workflow-world.ts). What the end-to-end tests check through Feishu
 * (test/issues/issue-lifecycle-e2e.test.ts) stays there; these pin single steps, quickly.
 */

const OFFICE_CHAT = { chatId: 'oc_example_hezhangban' };
const WATER_BUREAU_CHAT = { chatId: 'oc_example_shuiwu' };
const DADU_CHAT = { chatId: 'oc_example_dadu' };

let world: WorkflowWorld;
let issues: IssueService;

beforeAll(async () => {
  world = await openWorkflowWorld('2026-11-24T10:00:00+08:00');
});
afterAll(() => world?.close());

beforeEach(() => {
  // One messenger per test: each reads only what its own step sent.
  world.messenger = new RecordingMessenger();
  issues = issueService(world);
});

describe('the problem workflow, without Feishu', () => {
  it('申请销号 on a problem being rectified tells the office and the supervising unit, once', async () => {
    const issue = await buildIssue(world, { state: 'rectifying', supervisors: ['water-bureau'] });
    const wu = world.openId('wu-yonghe');

    await issues.act(wu, issue.id, issue.version, { type: 'requestClose', evidence: '垃圾已清运，附照片' }, 'ev-close');

    const told = `永和镇已申请${issue.number}问题销号，请核查：垃圾已清运，附照片`;
    expect(world.messenger.wordsTo(OFFICE_CHAT)).toEqual([told]);
    expect(world.messenger.wordsTo(WATER_BUREAU_CHAT)).toEqual([told]);
    expect((await world.stores.issues.get(issue.id))?.state).toBe('pendingVerification');
    // The same card tapped again shows an outdated version: refused, nothing sent twice.
    await expect(
      issues.act(wu, issue.id, issue.version, { type: 'requestClose', evidence: '再点一次' }, 'ev-again'),
    ).rejects.toBeInstanceOf(StaleError);
    expect(world.messenger.messages).toHaveLength(2);
  });

  it('refuses 核查销号 from a township that is not the office nor a supervisor, changing nothing', async () => {
    const issue = await buildIssue(world, { state: 'pendingVerification' });

    const tap = issues.act(world.openId('zheng-jinhe'), issue.id, issue.version, { type: 'verifyPass' }, 'ev-pass');

    await expect(tap).rejects.toBeInstanceOf(ForbiddenError);
    await expect(tap).rejects.toMatchObject({ userMessage: '只有区河长制办公室或联络员单位可以核查销号。' });
    const after = await world.stores.issues.get(issue.id);
    expect([after?.state, after?.version]).toEqual(['pendingVerification', issue.version]);
    expect(world.messenger.messages).toEqual([]);
  });

  it('a reply in the thread of a problem card, from wherever the card went, becomes a progress note', async () => {
    const issue = await issues.report({
      waterBodyId: 'dadu-jinkouhe',
      townshipId: 'yonghe',
      place: '新民村河段',
      description: '岸边有建筑垃圾倾倒',
      category: '河岸',
      urgency: 'normal',
      source: { kind: 'office' },
      foundBy: 'qian-hezhangban',
      foundAt: world.clock.now(),
      reportedBy: 'qian-hezhangban',
    });
    // Registration posts the card to the office and to the water body's chat.
    const [inOffice] = world.messenger.to(OFFICE_CHAT);
    expect(world.messenger.wordsTo(DADU_CHAT)[0]).toContain('岸边有建筑垃圾倾倒');

    const answer = await issues.progressFromThread(
      world.openId('qian-hezhangban'),
      inOffice!.messageId,
      { text: '已联系永和镇现场查看', photos: [] },
      'ev-thread',
    );

    expect(answer).toBe(`已记为${issue.number}问题的进展。`);
    const saved = await world.stores.issues.get(issue.id);
    expect(saved?.progress.map((p) => p.note)).toEqual(['已联系永和镇现场查看']);
    // A thread that is not a problem card's is not taken.
    expect(
      await issues.progressFromThread(
        world.openId('qian-hezhangban'),
        'om_elsewhere',
        { text: '你好', photos: [] },
        'ev-x',
      ),
    ).toBeUndefined();
  });
});
