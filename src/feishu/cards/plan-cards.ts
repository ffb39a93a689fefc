import type { PlanCardPresenter, PlanFormView } from '../../workflows/commendations/plan-service.js';
import { planButtons } from './buttons/approval-buttons.js';
import { partName, splitForInputs } from './limits.js';
import { renderCard } from './template.js';

/** An input takes at most 1000 characters: the plan is typed into 5 inputs, the list into 2, joined on save. */
export const PLAN_INPUT_PARTS = { plan: 5, list: 2 } as const;

const NUMBERS = ['一', '二', '三', '四', '五'];

function parts(field: keyof typeof PLAN_INPUT_PARTS, label: string, text: string, placeholder: string) {
  return splitForInputs(text, PLAN_INPUT_PARTS[field]).map((value, k) => ({
    name: partName(field, k + 1),
    required: k === 0,
    rows: k === 0 ? 6 : 2,
    value,
    label: k === 0 ? `${label}（${NUMBERS[k]}）` : `${label}（${NUMBERS[k]}，接上文，可不填）`,
    placeholder: k === 0 ? placeholder : '上一栏写满 1000 字后接着写在这里',
  }));
}

/** The commendation and incentive plan form (cards/plan-form.json). */
export const planCards: PlanCardPresenter = {
  planForm(view: PlanFormView) {
    const submitValue = planButtons.save.value(
      view.id ? { k: view.kind, y: view.year, id: view.id, v: view.version } : { k: view.kind, y: view.year },
    );
    return renderCard('plan-form', {
      heading: view.heading,
      title: view.title,
      planParts: parts('plan', '方案', view.plan, '表彰（激励）的依据、范围、条件、名额和方式'),
      listParts: parts('list', `${view.listLabel}（每行一个）`, view.list, '例如：永和镇（先进集体）'),
      submitValue,
    });
  },
};
