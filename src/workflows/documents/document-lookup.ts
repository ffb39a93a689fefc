import type { OfficialDocument } from '../../domain/documents/document.js';
import type { Meeting } from '../../domain/meetings/meeting.js';
import { UserInputError } from '../../errors.js';
import type { DocumentStore } from '../../store/document-store.js';
import type { MeetingStore } from '../../store/meeting-store.js';

/** The document a button names; one deleted since its card went out is the person's to know. */
export async function loadDocument(store: DocumentStore, id: string): Promise<OfficialDocument> {
  const doc = await store.get(id);
  if (!doc) throw new UserInputError('找不到该文件，可能已被删除。');
  return doc;
}

/** The meeting whose minutes the document is, if it is a meeting's minutes. */
export async function meetingOfDocument(store: MeetingStore, doc: OfficialDocument): Promise<Meeting | undefined> {
  return doc.meetingId ? store.get(doc.meetingId) : undefined;
}
