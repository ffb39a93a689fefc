import { z } from 'zod';
import { button } from './button.js';

const id = z.string().min(1).max(64);
const version = z.number().int().positive();
const itemNumber = z.number().int().positive();
/** The kinds drafted from the drafting form; minutes are drafted from their meeting. */
export const DRAFT_KINDS = ['fourLists', 'waterBodyPlan', 'healthReport'] as const;

/** The buttons on meeting and document cards, and the scheduling and drafting forms. */
export const documentButtons = {
  /** 查看, and 上一页 / 下一页 with the page of items to show. */
  view: button('doc.view', { id, p: z.number().int().positive().max(1000).optional() }),
  /** 补全 / 修改 an item (`n`), or 记录 a new one. */
  itemForm: button('doc.itemForm', { id, v: version, n: itemNumber.optional() }),
  saveItem: button('doc.saveItem', { id, v: version, n: itemNumber.optional() }),
  removeItem: button('doc.removeItem', { id, v: version, n: itemNumber }),
  submit: button('doc.submit', { id, v: version }),
  approve: button('doc.approve', { id, v: version }),
  return: button('doc.return', { id, v: version }),
  create: button('doc.create', { k: z.enum(DRAFT_KINDS), w: id }),
  cancelMeeting: button('meeting.cancel', { id }),
  createMeeting: button('meeting.create'),
};
