import {
  DocumentThreadReplies,
  decideCommand,
  draftCommand,
  registerDocumentActions,
  scheduleCommand,
} from '../../chat/document-actions.js';
import { renderDocx } from '../../export/document-docx.js';
import { documentCards } from '../../feishu/cards/document-cards.js';
import { DocumentCopies } from '../../workflows/documents/document-copies.js';
import { DocumentService } from '../../workflows/documents/document-service.js';
import { MeetingService } from '../../workflows/meetings/meeting-service.js';
import { MeetingSweep } from '../../workflows/meetings/meeting-sweep.js';
import type { FeatureModule } from '../feature.js';
import { issuesModule } from '../issues/module.js';
import { queriesModule } from '../queries/module.js';

export interface MeetingsExports {
  documents: DocumentService;
  meetings: MeetingService;
  meetingSweep: MeetingSweep;
}

/**
 * 会议、纪要与文件: /安排会议, /议定, /起草, the minutes' and documents' buttons, replies and
 * files sent in their threads, and the meeting and yearly-document reminders.
 */
export const meetingsModule: FeatureModule<MeetingsExports> = (infra, use) => {
  const { stores } = infra;
  const { issues } = use(issuesModule);
  const logger = infra.logger.child({ component: 'documents' });
  // The copies of a document's card: the meeting and document workflows post and refresh the same cards.
  const copies = new DocumentCopies({
    documents: stores.documents,
    meetings: stores.meetings,
    issues: stores.issues,
    messenger: infra.messenger,
    cards: documentCards,
    clock: infra.clock,
    timeZone: infra.timeZone,
  });
  const documents = new DocumentService({
    directory: stores.directory,
    documents: stores.documents,
    meetings: stores.meetings,
    issues,
    messenger: infra.messenger,
    cards: documentCards,
    copies,
    renderDocx,
    clock: infra.clock,
    timeZone: infra.timeZone,
    logger,
  });
  const meetings = new MeetingService({
    directory: stores.directory,
    documents: stores.documents,
    meetings: stores.meetings,
    claims: stores.claims,
    messenger: infra.messenger,
    cards: documentCards,
    copies,
    clock: infra.clock,
    timeZone: infra.timeZone,
    logger,
  });
  const meetingSweep = new MeetingSweep({
    directory: stores.directory,
    documents: stores.documents,
    meetings: stores.meetings,
    messenger: infra.messenger,
    copies,
    publications: documents,
    timeZone: infra.timeZone,
  });
  const { queries } = use(queriesModule);
  return {
    exports: { documents, meetings, meetingSweep },
    commands: [scheduleCommand(meetings), decideCommand(documents, queries), draftCommand(meetings)],
    cardActions: (router) => registerDocumentActions(router, documents, meetings),
    messageHandlers: [new DocumentThreadReplies(documents)],
    jobs: [
      {
        name: 'meeting.reminders',
        // Meeting reminders are hours before a start; the yearly ones fall due at the reminder hour.
        every: '*/10 * * * *',
        run: (dueAt) => meetingSweep.sweep(dueAt),
      },
    ],
    // Districts upgrading from a version without the meeting or document figures get them built once.
    migrations: [
      { id: '2026-meeting-figures', run: figuresMigration(infra.stores.meetings) },
      { id: '2026-12-02-document-figures', run: figuresMigration(infra.stores.documents) },
    ],
  };
};

function figuresMigration(store: { figures: { rebuild(): Promise<{ corrected: number }> } }) {
  return async () => ({ changed: (await store.figures.rebuild()).corrected, complete: true });
}
