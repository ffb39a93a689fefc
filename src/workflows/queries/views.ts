import type { OfferedButton } from '../intents.js';
import type { Markdown } from '../markdown.js';
import type { CardJson } from '../ports.js';

/** A list answer (problems, decisions, meetings, or choices for an ambiguous name). */
export interface ListView {
  title: string;
  subtitle: string;
  color: 'blue' | 'orange' | 'red' | 'grey';
  /** Card markdown; a plain string is shown exactly as written. */
  summary: Markdown | string;
  rows: Array<{ text: Markdown | string; button?: OfferedButton }>;
  footer?: string;
}

export interface ListCardPresenter {
  list(view: ListView): CardJson;
}
