import type { Clock } from '../domain/clock.js';
import { ApprovalStore } from '../store/approval-store.js';
import { ClaimStore } from '../store/claim-store.js';
import { DirectoryStore } from '../store/directory-store.js';
import { DocumentStore } from '../store/document-store.js';
import { IssueStore } from '../store/issue-store.js';
import { MeetingStore } from '../store/meeting-store.js';
import type { Models } from '../store/models/index.js';
import { PatrolStore } from '../store/patrol-store.js';
import { SanctionStore } from '../store/sanction-store.js';

/**
 * The repositories that several features read (a problem list reads patrols, meetings,
 * approvals and sanctions; the assessment reads most of them). Each is built once here; a
 * store only one feature reads is built by that feature.
 */
export interface SharedStores {
  directory: DirectoryStore;
  issues: IssueStore;
  patrols: PatrolStore;
  meetings: MeetingStore;
  documents: DocumentStore;
  approvals: ApprovalStore;
  sanctions: SanctionStore;
  /** Once-only claims: form submissions and the steps that must not run twice. */
  claims: ClaimStore;
}

export function buildSharedStores(models: Models, clock: Clock, timeZone: string): SharedStores {
  return {
    directory: new DirectoryStore(models, clock),
    issues: new IssueStore(models, clock, timeZone),
    patrols: new PatrolStore(models, clock),
    meetings: new MeetingStore(models, timeZone),
    documents: new DocumentStore(models, timeZone),
    approvals: new ApprovalStore(models),
    sanctions: new SanctionStore(models),
    claims: new ClaimStore(models, clock),
  };
}
