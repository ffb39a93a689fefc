import type { CardJson } from '../ports.js';

type Option = { value: string; label: string };

/** An inspection with its findings as they stand now: its card is also its report. */
export interface InspectionView {
  id: string;
  version: number;
  title: string;
  organiserName: string;
  scopeName: string;
  period: string;
  findings: Array<{
    n: number;
    aspectName: string;
    text: string;
    waterName: string;
    townshipName: string;
    departmentName?: string;
    deadline: string;
    issueId: string;
    number: string;
    stateName: string;
    overdue: boolean;
    closed: boolean;
  }>;
  reportedOn?: string;
}

export interface InspectionFormView {
  waterOptions: Option[];
  today: string;
}

export interface FindingFormView {
  id: string;
  version: number;
  title: string;
  waterOptions: Option[];
  townshipOptions: Option[];
  departmentOptions: Option[];
}

export interface InspectionCardPresenter {
  inspection(view: InspectionView): CardJson;
  form(view: InspectionFormView): CardJson;
  findingForm(view: FindingFormView): CardJson;
}
