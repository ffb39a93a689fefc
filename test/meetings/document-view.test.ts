import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficialDocument } from '../../src/domain/documents/document.js';
import type { Meeting } from '../../src/domain/meetings/meeting.js';
import { documentCards } from '../../src/feishu/cards/document-cards.js';
import { documentCopyRenderer, documentView } from '../../src/workflows/documents/document-view.js';
import { openWorkflowWorld, type WorkflowWorld } from '../helpers/workflow-world.js';

// A document's card is data in, card out: no store, no messenger. The example district's
// directory is the only thing read from the database.
let world: WorkflowWorld;
beforeAll(async () => {
  world = await openWorkflowWorld('2026-12-01T10:00:00+08:00');
});
afterAll(() => world.close());

const startsAt = new Date('2026-12-03T09:30:00+08:00');
const meeting: Meeting = {
  id: 'm1',
  kind: 'basinMeeting',
  title: '大渡河流域会议',
  waterBodyId: 'dadu-jinkouhe',
  startsAt,
  place: '区水务局',
  participants: ['li-hezhang', 'sun-shuiwu', 'wu-yonghe'],
  organiserUnit: 'water-bureau',
  minutesId: 'd1',
  state: 'scheduled',
  version: 1,
  createdBy: 'sun-shuiwu',
  createdAt: new Date('2026-12-01T09:00:00+08:00'),
};
const minutes = (fields: Partial<OfficialDocument> = {}): OfficialDocument => ({
  id: 'd1',
  kind: 'minutes',
  title: '大渡河流域会议纪要',
  year: 2026,
  waterBodyId: 'dadu-jinkouhe',
  meetingId: meeting.id,
  state: 'drafting',
  version: 2,
  drafterUnit: 'water-bureau',
  approverId: 'li-hezhang',
  trackerUnit: 'water-bureau',
  items: [{ n: 1, text: '清理河道', unitId: 'yonghe', deadline: new Date('2026-12-31T15:59:59Z'), issueId: 'i1' }],
  body: '',
  attachments: [],
  createdBy: 'sun-shuiwu',
  createdAt: new Date('2026-12-01T09:00:00+08:00'),
  history: [],
  cardKeys: [],
  ...fields,
});
const cardText = (card: unknown) => JSON.stringify(card);

describe("a document's card, as each place sees it", () => {
  it('reads the meeting and the items in the district’s time, naming the problems items became', () => {
    const view = documentView(world.directory, minutes(), meeting, new Map([['i1', '金口河2026-007']]), {
      now: world.clock.now(),
      timeZone: world.timeZone,
    });
    // Decisions recorded mean the meeting was held, whatever the clock says.
    expect(view.meeting).toMatchObject({ title: '大渡河流域会议', upcoming: false, cancelled: false });
    const before = documentView(world.directory, minutes({ items: [] }), meeting, new Map(), {
      now: world.clock.now(),
      timeZone: world.timeZone,
    });
    expect(before.meeting?.upcoming).toBe(true);
    expect(view.meeting?.when).toBe('2026年12月3日上午9时30分');
    expect(view.items).toEqual([
      expect.objectContaining({
        n: 1,
        unitName: '永和镇',
        deadline: '2026年12月31日',
        issueNumber: '金口河2026-007',
        missing: false,
      }),
    ]);
    expect(view).toMatchObject({ drafts: false, approves: false, drafterName: '区水务局', approverName: '李某某' });
  });

  it('shows the drafting unit the minutes to write, and an attendee and the approver a meeting notice until submitted', () => {
    const doc = minutes();
    const base = documentView(world.directory, doc, meeting, new Map(), {
      now: world.clock.now(),
      timeZone: world.timeZone,
    });
    const render = documentCopyRenderer(documentCards, world.directory, doc, base);
    expect(cardText(render('unit:water-bureau'))).toContain('提交审定');
    expect(cardText(render('dm:sun-shuiwu'))).toContain('提交审定');
    for (const place of ['dm:wu-yonghe', 'dm:li-hezhang', 'water:dadu-jinkouhe', undefined]) {
      const text = cardText(render(place));
      expect(text).toContain('大渡河流域会议通知');
      expect(text).not.toContain('提交审定');
    }

    const submitted = minutes({ state: 'pendingApproval' });
    const forApproval = documentCopyRenderer(
      documentCards,
      world.directory,
      submitted,
      documentView(world.directory, submitted, meeting, new Map(), {
        now: world.clock.now(),
        timeZone: world.timeZone,
      }),
    );
    expect(cardText(forApproval('dm:li-hezhang'))).not.toContain('大渡河流域会议通知');
    expect(cardText(forApproval('dm:wu-yonghe'))).toContain('大渡河流域会议通知');
  });
});
