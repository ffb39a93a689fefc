import { z } from 'zod';
import type { QueryService } from '../workflows/queries/query-service.js';
import { ActionValueSchema, cardValue, type CardActionRouter } from './card-actions.js';

/** A choice on an ambiguous-name card runs the query again with the chosen name. */
const QueryButton = ActionValueSchema.extend({ q: z.string().max(200) });

export function registerQueryActions(router: CardActionRouter, queries: QueryService): void {
  router.register('query.issues', async (input) => {
    const v = cardValue(QueryButton, input.action);
    return { card: await queries.issues(input.operatorOpenId, v.q) };
  });
}
