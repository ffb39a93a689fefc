import { z } from 'zod';
import { button } from './button.js';

const id = z.string().min(1).max(128);

/** The inspection form, its card's buttons and the finding form. */
export const inspectionButtons = {
  create: button('inspection.create'),
  view: button('inspection.view', { id }),
  findingForm: button('inspection.findingForm', { id, v: z.number().int().positive() }),
  addFinding: button('inspection.addFinding', { id, v: z.number().int().positive() }),
  report: button('inspection.report', { id }),
};
