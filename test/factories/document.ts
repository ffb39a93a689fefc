import type { OfficialDocument } from '../../src/domain/documents/document.js';

/**
 * Minutes (纪要) of the example district awaiting approval: drafted by 区河长制办公室's staff
 * for 区级总河长 赵 to approve, no items or attachments. Override what a test is about.
 *
 *     await documents.create(draftMinutes('doc-a', clock.now()));
 */
export function draftMinutes(id: string, createdAt: Date, overrides: Partial<OfficialDocument> = {}): OfficialDocument {
  return {
    id,
    kind: 'minutes',
    title: `纪要${id}`,
    year: 2026,
    state: 'pendingApproval',
    version: 1,
    drafterUnit: 'rco',
    approverId: 'zhao',
    trackerUnit: 'rco',
    items: [],
    body: '',
    attachments: [],
    createdBy: 'qian',
    createdAt,
    history: [],
    cardKeys: [],
    ...overrides,
  };
}
