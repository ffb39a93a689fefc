import type { PlanCardPresenter, PlanFormView } from '../../workflows/commendations/plan-service.js';
import { renderCard } from './template.js';

/** The commendation and incentive plan form (cards/plan-form.json). */
export const planCards: PlanCardPresenter = {
  planForm(view: PlanFormView) {
    const submitValue = view.id ? { a: 'plan.save', k: view.kind, y: view.year, id: view.id, v: view.version } : { a: 'plan.save', k: view.kind, y: view.year };
    return renderCard('plan-form', { ...view, submitValue });
  },
};
