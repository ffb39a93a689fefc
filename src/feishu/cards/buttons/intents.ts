import type { Intent } from '../../../workflows/intents.js';
import { approvalButtons, planButtons } from './approval-buttons.js';
import type { ActionValue } from './button.js';
import { documentButtons } from './document-buttons.js';
import { issueButtons } from './issue-buttons.js';
import { queryButtons } from './query-buttons.js';
import { sanctionButtons } from './sanction-buttons.js';

/** The button value that carries out what a workflow offers. */
export function valueOf(intent: Intent): ActionValue {
  if ('view' in intent) {
    switch (intent.view) {
      case 'issue':
        return issueButtons.view.value({ id: intent.id });
      case 'document':
        return documentButtons.view.value({ id: intent.id });
      case 'approval':
        return approvalButtons.view.value({ id: intent.id });
      case 'sanction':
        return sanctionButtons.view.value({ id: intent.id });
    }
  }
  if ('ask' in intent) return queryButtons[intent.ask].value({ q: intent.words });
  if ('export' in intent) return approvalButtons.exportAssessment.value({ id: intent.id });
  return planButtons.edit.value({ id: intent.id });
}
