import type { AdmonitionStage, SanctionKind } from '../../domain/accountability/sanction.js';
import type { CardJson } from '../ports.js';

type Option = { value: string; label: string };

/** A 提示, 通报 or 约谈 as its card shows it. */
export interface SanctionView {
  id: string;
  version: number;
  kind: SanctionKind;
  kindName: string;
  praise: boolean;
  unitName: string;
  reason: string;
  issuedByName: string;
  issuedOn: string;
  /** Problems it is about, with where they stand now. */
  issues: Array<{ id: string; number: string; description: string; stateName: string }>;
  admonition?: {
    stage: AdmonitionStage;
    stageName: string;
    initiatorName: string;
    interviewee: string;
    when: string;
    place: string;
    participantNames: string;
    record?: string;
    commitments?: string;
    reviewOn?: string;
    review?: { outcomeName: string; note: string; byName: string; on: string };
    referral?: { body: string; on: string; note: string; byName: string };
  };
}

export interface NoticeFormView {
  kind: 'prompt' | 'bulletin' | 'praise';
  unitOptions: Option[];
  /** Prefilled from the command's words, when they named a unit. */
  unit?: string;
  reason?: string;
}

export interface AdmonitionFormView {
  unitOptions: Option[];
  initiatorOptions: Option[];
  /** open_ids of the directory's people who may be picked as participants (a person picker takes open_ids). */
  personOpenIds: string[];
  initiator?: string;
  unit?: string;
}

export type AdmonitionStep = 'record' | 'review' | 'refer';

export interface AdmonitionStepFormView {
  id: string;
  version: number;
  step: AdmonitionStep;
  heading: string;
  unitName: string;
}

export interface SanctionCardPresenter {
  sanction(view: SanctionView): CardJson;
  noticeForm(view: NoticeFormView): CardJson;
  admonitionForm(view: AdmonitionFormView): CardJson;
  admonitionStep(view: AdmonitionStepFormView): CardJson;
}
