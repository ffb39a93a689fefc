import type { Context } from 'koa';
import type { Clock } from '../../domain/clock.js';
import { TransportError } from '../../errors.js';
import { readRawBody } from '../../http/raw-body.js';
import type { Logger } from '../../log/logger.js';
import type { EventIntake } from '../event-intake.js';
import { openRequest, type TransportSecrets } from './open-request.js';

/**
 * The Koa handler behind both Feishu URLs (events and card callbacks). It moves bytes and
 * decides nothing: verify, decrypt, classify, hand to the intake, answer.
 */
export function webhookHandler(deps: {
  secrets: TransportSecrets;
  intake: EventIntake;
  clock: Clock;
  logger: Logger;
}): (ctx: Context) => Promise<void> {
  return async (ctx) => {
    try {
      const rawBody = await readRawBody(ctx.req);
      const opened = openRequest({ rawBody, headers: ctx.request.headers }, deps.secrets, deps.clock);
      ctx.status = 200;
      ctx.type = 'application/json';
      if (opened.kind === 'challenge') {
        ctx.body = { challenge: opened.challenge };
        return;
      }
      ctx.body = await deps.intake.receive(opened.event);
    } catch (error) {
      if (error instanceof TransportError) {
        // The reason goes to the log only; the caller learns the status and a generic code.
        deps.logger.warn(
          { path: ctx.path, status: error.status, reason: error.reason, ip: ctx.ip },
          'webhook request rejected',
        );
        ctx.status = error.status;
        ctx.body = { error: error.code };
        return;
      }
      throw error;
    }
  };
}
