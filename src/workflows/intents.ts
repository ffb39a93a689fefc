/**
 * What a button a workflow offers lets people do, in the workflow's own words: open a record,
 * ask a query again with chosen words, export a record's workbook, edit a draft. The presenter
 * turns an intent into a button (feishu/cards/buttons/intents.ts), so no workflow names the
 * chat layer's handlers or builds a button value.
 */
export type Intent =
  | { view: 'issue' | 'document' | 'approval' | 'sanction'; id: string }
  /** A query asked again with these words (a choice on an ambiguous name, 查看 on a row). */
  | { ask: 'issues' | 'patrols' | 'export'; words: string }
  /** The record's evidence workbook, sent to the tapper's direct chat. */
  | { export: 'assessment'; id: string }
  | { edit: 'plan'; id: string };

/** A button as a workflow offers it: its label and what it does. */
export interface OfferedButton {
  label: string;
  intent: Intent;
}
