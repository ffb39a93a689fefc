import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../log/logger.js';

export interface HttpAppDeps {
  logger: Logger;
  /** Handles both Feishu URLs; see feishu/transport/webhook.ts. */
  webhook: (ctx: Koa.Context) => Promise<void>;
  /** Database reachable and scheduler running. */
  readiness: () => Promise<{ ready: boolean; checks: Record<string, unknown> }>;
  /** Local mode's trial page and API; absent (so `/` and `/local/api/*` are 404) with Feishu credentials. */
  local?: Koa.Middleware;
}

/** The Koa app: Feishu's two URLs, health and readiness, and one error handler. */
export function createHttpApp(deps: HttpAppDeps): Koa {
  const app = new Koa({ proxy: true });
  const router = new Router();

  router.post('/webhook/event', deps.webhook);
  router.post('/webhook/card', deps.webhook);
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const { ready, checks } = await deps.readiness();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', ...checks };
  });

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      deps.logger.error({ err: error, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.type = 'application/json';
      ctx.body = { error: 'internal' };
    }
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  if (deps.local) app.use(deps.local);
  // Koa's own error events are already logged above; keep it from printing to stderr.
  app.silent = true;
  return app;
}
