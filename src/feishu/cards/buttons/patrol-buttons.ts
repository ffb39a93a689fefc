import { z } from 'zod';
import { button } from './button.js';

/** `{ a, d: duty key, p: period key }` on every patrol button. */
const duty = { d: z.string().min(1).max(200), p: z.string().min(4).max(10) };
/** A correction or withdrawal names the patrol and the version the card showed. */
const record = { ...duty, id: z.string().min(1).max(64), v: z.number().int().positive() };

/** The buttons on patrol reminder cards (记录巡河, 已安排, 查看责任河湖) and the forms they open. */
export const patrolButtons = {
  form: button('patrol.form', duty),
  /** Back from the form to the reminder as it stands. */
  reminder: button('patrol.reminder', duty),
  submit: button('patrol.submit', duty),
  edit: button('patrol.edit', record),
  correct: button('patrol.correct', record),
  withdraw: button('patrol.withdraw', record),
  /** The day picker on the reminder: the day comes as the tap's option. */
  plan: button('patrol.plan', duty),
  /** The liaison unit's 明查暗访 report for a water body and period. */
  focus: button('patrol.focus', { w: z.string().min(1).max(64), p: z.string().min(4).max(10) }),
  duties: button('patrol.duties'),
};
