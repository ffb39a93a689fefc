import type { Connection } from 'mongoose';
import { type DocumentFigureModels, documentFigureModels } from '../figures/document-figures.js';
import { type MeetingFigureModels, meetingFigureModels } from '../figures/meeting-figures.js';
import { type ProblemDueModels, problemDueModels } from '../figures/problem-due-model.js';
import { type ProblemFigureModels, problemFigureModels } from '../figures/problem-figure-model.js';
import { type ApprovalModels, approvalModels } from './approval.js';
import { type ClaimModels, claimModels } from './claim.js';
import { type DirectoryModels, directoryModels } from './directory.js';
import { type DocumentModels, documentModels } from './document.js';
import { type InboxModels, inboxModels } from './inbox-event.js';
import { type InspectionModels, inspectionModels } from './inspection.js';
import { type IssueModels, issueModels } from './issue.js';
import { type MeetingModels, meetingModels } from './meeting.js';
import { type OutboxArchiveModels, outboxArchiveModels } from './outbox-archive.js';
import { type OutboxMessageModel, outboxMessageModel } from './outbox-message.js';
import { type PatrolModels, patrolModels } from './patrol.js';
import { type SanctionModels, sanctionModels } from './sanction.js';
import { type UploadedFileModel, uploadedFileModel } from './uploaded-file.js';
import { type WaterBodyNoteModels, waterBodyNoteModels } from './water-body-note.js';

/** Every model of the bot, bound to one connection. New aggregates are added here. */
export interface Models
  extends DirectoryModels,
    PatrolModels,
    WaterBodyNoteModels,
    IssueModels,
    ClaimModels,
    MeetingModels,
    SanctionModels,
    DocumentModels,
    InspectionModels,
    ApprovalModels,
    InboxModels,
    OutboxArchiveModels,
    ProblemFigureModels,
    ProblemDueModels,
    MeetingFigureModels,
    DocumentFigureModels {
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
    ...documentModels(connection),
    ...approvalModels(connection),
    ...problemFigureModels(connection),
    ...problemDueModels(connection),
    ...meetingFigureModels(connection),
    ...documentFigureModels(connection),
  };
}

/** Creates the declared indexes (unique ones included) before the bot takes traffic. */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Array<Models[keyof Models]>) {
    await model.createCollection();
    await model.createIndexes();
  }
}
