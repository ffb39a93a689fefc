import { z } from 'zod';
import { button } from './button.js';

const id = z.string().min(1).max(128);
const step = { id, v: z.number().int().positive() };

/** The buttons of every record on an approval chain, and the assessment's export. */
export const approvalButtons = {
  submit: button('approval.submit', step),
  pass: button('approval.pass', step),
  return: button('approval.return', step),
  view: button('approval.view', { id }),
  exportAssessment: button('assessment.export', { id }),
};

/** The commendation and incentive plan forms, and 修改 on a plan's draft. */
export const planButtons = {
  save: button('plan.save', {
    k: z.enum(['commendation', 'incentive']),
    y: z.number().int().min(2000).max(2100),
    id: id.optional(),
    v: z.number().int().positive().optional(),
  }),
  edit: button('plan.edit', { id }),
};
