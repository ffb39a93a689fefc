import { z } from 'zod';
import { button } from './button.js';

/** A query's words: a choice on an ambiguous-name card runs it again with the chosen name. */
const query = { q: z.string().max(200) };

/** The buttons of query answers (lists and choice cards). */
export const queryButtons = {
  issues: button('query.issues', query),
  patrols: button('query.patrols', query),
  export: button('query.export', query),
};
