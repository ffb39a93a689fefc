import { z } from 'zod';
import { button } from './button.js';

const id = z.string().min(1).max(128);
export const ADMONITION_STEPS = ['record', 'review', 'refer'] as const;

/** The 提示/通报 and 约谈 forms and the buttons on their cards. */
export const sanctionButtons = {
  issue: button('sanction.issue'),
  view: button('sanction.view', { id }),
  scheduleAdmonition: button('admonition.schedule'),
  /** 记录约谈情况, 复核, 移交: opens the step's form. */
  stepForm: button('admonition.stepForm', { id, v: z.number().int().positive(), s: z.enum(ADMONITION_STEPS) }),
  step: button('admonition.step', { id, v: z.number().int().positive(), s: z.enum(ADMONITION_STEPS) }),
};
