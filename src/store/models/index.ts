import type { Connection } from 'mongoose';
import { directoryModels, type DirectoryModels } from './directory.js';
import { patrolModels, type PatrolModels } from './patrol.js';
import { claimModels, type ClaimModels } from './claim.js';
import { issueModels, type IssueModels } from './issue.js';
import { meetingModels, type MeetingModels } from './meeting.js';
import { inspectionModels, type InspectionModels } from './inspection.js';
import { approvalModels, type ApprovalModels } from './approval.js';
import { sanctionModels, type SanctionModels } from './sanction.js';
import { waterBodyNoteModels, type WaterBodyNoteModels } from './water-body-note.js';
import { inboxModels, type InboxModels } from './inbox-event.js';
import { outboxMessageModel, type OutboxMessageModel } from './outbox-message.js';
import { outboxArchiveModels, type OutboxArchiveModels } from './outbox-archive.js';
import { uploadedFileModel, type UploadedFileModel } from './uploaded-file.js';

/** Every model of the bot, bound to one connection. New aggregates are added here. */
export interface Models extends DirectoryModels, PatrolModels, WaterBodyNoteModels, IssueModels, ClaimModels, MeetingModels, SanctionModels, InspectionModels, ApprovalModels, InboxModels, OutboxArchiveModels {
  outboxMessages: OutboxMessageModel;
  uploadedFiles: UploadedFileModel;
}

export function bindModels(connection: Connection): Models {
  return {
    ...inboxModels(connection),
    outboxMessages: outboxMessageModel(connection),
    ...outboxArchiveModels(connection),
    uploadedFiles: uploadedFileModel(connection),
    ...directoryModels(connection),
    ...patrolModels(connection),
    ...waterBodyNoteModels(connection),
    ...issueModels(connection),
    ...claimModels(connection),
    ...meetingModels(connection),
    ...sanctionModels(connection),
    ...inspectionModels(connection),
    ...approvalModels(connection),
  };
}

/** Creates the declared indexes (unique ones included) before the bot takes traffic. */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Array<Models[keyof Models]>) {
    await model.createCollection();
    await model.createIndexes();
  }
}
