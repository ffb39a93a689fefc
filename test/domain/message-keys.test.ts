import { describe, expect, it } from 'vitest';
import {
  adoptedCopy,
  documentIdOfKey,
  issueIdOfKey,
  type MessageKeyFields,
  type MessageKeyKind,
  messageKey,
  parseCopy,
  parseMessageKey,
  patrolReminderOfKey,
  placeOfKey,
  toPlace,
} from '../../src/domain/delivery/message-keys.js';

/**
 * One key of every kind, with the exact string it was always stored as: outbox rows and the
 * routing of thread replies in real databases depend on these bytes. The type makes a new
 * kind without an example here a compile error.
 */
const EXAMPLES: { [K in MessageKeyKind]: [MessageKeyFields<K>, string] } = {
  issueCard: [{ issueId: '2026-0007', place: 'unit:jinhe' }, 'issue:2026-0007:card:unit:jinhe'],
  issueChange: [{ issueId: '2026-0007', version: 3, action: 'assign' }, 'issue:2026-0007:v3:assign'],
  issueClosing: [{ issueId: '2026-0007' }, 'issue:2026-0007:closing'],
  issueSupervision: [{ issueId: '2026-0007', day: '2026-03-31', step: 'due' }, 'issue:2026-0007:sup:2026-03-31:due'],
  issueSupervisionUrgent: [
    { issueId: '2026-0007', day: '2026-03-31', step: 'due', place: 'dm:wang' },
    'issue:2026-0007:sup:2026-03-31:due:urgent:dm:wang',
  ],
  issuesUnassigned: [{ day: '2026-03-31' }, 'issue-unassigned:2026-03-31'],
  supervisionNotice: [
    { noticeKey: '2026-0007:2026-03-31:admonition', place: 'unit:office' },
    'notice:2026-0007:2026-03-31:admonition:unit:office',
  ],
  patrolWithdrawnProblems: [
    { patrolKey: 'riverChief:li:jinhe:2026-03' },
    'patrol:riverChief:li:jinhe:2026-03:withdrawn-problems',
  ],
  documentSubmittedText: [{ documentId: 'm1', version: 2 }, 'doc:m1:v2:submitted:text'],
  documentSubmittedFile: [{ documentId: 'm1', version: 2 }, 'doc:m1:v2:submitted:file'],
  documentReturned: [{ documentId: 'm1', version: 2 }, 'doc:m1:v2:returned'],
  documentNudge: [{ documentId: 'm1', version: 2, nudge: 1 }, 'doc:m1:v2:nudge:1'],
  documentPublishedFile: [{ documentId: 'm1' }, 'doc:m1:published:file'],
  documentUnreached: [{ documentId: 'm1' }, 'doc:m1:unreached'],
  documentCard: [{ documentId: 'm1', occasion: 'published', place: 'water:jinhe' }, 'doc:m1:published:water:jinhe'],
  meetingReminder: [{ meetingId: 'mt1', hours: 24 }, 'meeting:mt1:remind:24h'],
  meetingCancelled: [{ meetingId: 'mt1' }, 'meeting:mt1:cancelled'],
  annualMeetingReminder: [{ year: 2026, week: 3 }, 'annual-meeting:2026:w3'],
  jointMeetingReminder: [{ waterId: 'jinhe', year: 2026 }, 'joint-meeting:jinhe:2026'],
  fourListsReminder: [{ waterId: 'jinhe', year: 2026, daysBefore: 7 }, 'four-lists:jinhe:2026:7'],
  patrolReminder: [
    { dutyKey: 'riverChief:li:jinhe', periodKey: '2026-03', stage: 'd7' },
    'patrol-reminder:riverChief:li:jinhe:2026-03:d7',
  ],
  liaisonRequest: [{ waterId: 'jinhe', periodKey: '2026-Q1' }, 'liaison-request:jinhe:2026-Q1'],
  patrolOverdue: [{ dutyKey: 'generalChief:zhao', periodKey: '2026-03' }, 'patrol-overdue:generalChief:zhao:2026-03'],
  patrolOverdueDigest: [{ day: '2026-04-01' }, 'patrol-overdue-digest:2026-04-01'],
  monthlyDigest: [{ periodKey: '2026-03' }, 'digest:2026-03'],
  undeliveredDigest: [{ day: '2026-04-01' }, 'undelivered:2026-04-01'],
  approvalCard: [{ approvalId: 'assessment:2026', version: 4, place: 'dm:wang' }, 'assessment:2026:v4:dm:wang'],
  approvalNudge: [{ approvalId: 'assessment:2026', version: 4, nudge: 2 }, 'assessment:2026:v4:nudge:2'],
  approvalReturned: [{ approvalId: 'notice:n1', version: 4 }, 'notice:n1:returned:v4'],
  approvalNotice: [{ approvalId: 'notice:n1' }, 'notice:n1:notice'],
  approvalNoticeFile: [{ approvalId: 'notice:n1', index: 0 }, 'notice:n1:notice:file0'],
  assessmentWorkbook: [{ approvalId: 'assessment:2026', request: 'om_1' }, 'assessment:2026:workbook:om_1'],
  sanctionCard: [{ sanctionId: 's1', place: 'unit:jinhe' }, 's1:card:unit:jinhe'],
  sanctionReferral: [{ sanctionId: 's1' }, 's1:referral'],
  sanctionReviewReminder: [{ sanctionId: 's1', day: '2026-05-01' }, 's1:review-reminder:2026-05-01'],
  inspectionReport: [{ inspectionId: 'inspection:i1', place: 'unit:jinhe' }, 'inspection:i1:report:unit:jinhe'],
  reply: [{ eventId: 'ev1', part: 0 }, 'reply:ev1:0'],
  menuReply: [{ eventId: 'ev1' }, 'menu:ev1'],
  menuPart: [{ eventId: 'ev1', part: 'form' }, 'menu:ev1:form'],
  tapCard: [{ eventId: 'ev1' }, 'tap:ev1'],
  tapForm: [{ eventId: 'ev1' }, 'form:ev1'],
  privateForm: [{ messageId: 'om_1', digest: 'abc' }, 'form:om_1:abc'],
  dutyList: [{ eventId: 'ev1' }, 'duties:ev1'],
  ledgerExport: [{ ref: 'om_1', query: '巡河台账' }, 'export:om_1:巡河台账'],
  cardUpdate: [
    { key: 'issue:2026-0007:card:unit:jinhe', stamp: '3:1700' },
    'issue:2026-0007:card:unit:jinhe:update:3:1700',
  ],
  freshCopy: [{ key: 'doc:m1:card:dm:wang', messageId: 'om_2' }, 'doc:m1:card:dm:wang:fresh:om_2'],
};

const asStrings = (fields: object) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));

describe('message keys', () => {
  for (const [kind, [fields, stored]] of Object.entries(EXAMPLES) as [MessageKeyKind, [object, string]][]) {
    it(`builds ${kind} as it was always stored, and reads it back`, () => {
      const key = messageKey(kind, fields as never);
      expect(key).toBe(stored);
      expect(parseMessageKey(key)).toEqual({ kind, fields: asStrings(fields) });
    });
  }

  it('reads the place a copy of a message sent to several places went to', () => {
    const key = toPlace(
      messageKey('issueChange', { issueId: '2026-0007', version: 3, action: 'requestClose' }),
      'dm:li',
    );
    expect(key).toBe('issue:2026-0007:v3:requestClose:dm:li');
    expect(parseMessageKey(key)).toEqual({
      kind: 'issueChange',
      fields: { issueId: '2026-0007', version: '3', action: 'requestClose' },
      place: 'dm:li',
    });
    expect(parseMessageKey(toPlace(messageKey('documentUnreached', { documentId: 'm1' }), 'unit:jinhe'))).toEqual({
      kind: 'documentUnreached',
      fields: { documentId: 'm1' },
      place: 'unit:jinhe',
    });
  });

  it('routes a thread reply by the key of its root, for any key of the record', () => {
    expect(issueIdOfKey('issue:2026-0007:card:unit:jinhe')).toBe('2026-0007');
    expect(issueIdOfKey('issue:2026-0007:sup:2026-03-31:due:dm:wang')).toBe('2026-0007');
    expect(issueIdOfKey('issue-unassigned:2026-03-31:dm:wang')).toBeUndefined();
    expect(documentIdOfKey('doc:m1:published:unit:jinhe')).toBe('m1');
    expect(documentIdOfKey('digest:2026-03')).toBeUndefined();
    expect(patrolReminderOfKey('patrol-reminder:riverChief:li:jinhe:2026-03:d7')).toEqual({
      dutyKey: 'riverChief:li:jinhe',
      periodKey: '2026-03',
    });
    expect(patrolReminderOfKey('patrol-overdue:riverChief:li:jinhe:2026-03')).toBeUndefined();
  });

  it('records a tapped message as a copy for its place', () => {
    expect(placeOfKey('issue:2026-0007:card:unit:jinhe')).toBe('unit:jinhe');
    expect(adoptedCopy('issue:2026-0007:card:unit:jinhe', 'li')).toBe('issue:2026-0007:card:unit:jinhe');
    expect(adoptedCopy('tap:ev1', 'li')).toBe('tap:ev1@dm:li');
    expect(parseCopy('tap:ev1@dm:li')).toEqual({ key: 'tap:ev1', place: 'dm:li' });
    expect(parseCopy('issue:2026-0007:card:unit:jinhe')).toEqual({
      key: 'issue:2026-0007:card:unit:jinhe',
      place: 'unit:jinhe',
    });
  });

  it('reads no kind into a key of no known shape', () => {
    expect(parseMessageKey('help:ev1')).toBeUndefined();
  });
});
