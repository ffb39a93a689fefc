import { describe, expect, it } from 'vitest';
import { useTestBot } from '../helpers/use-test-bot.js';

const t = useTestBot();

describe('with Feishu credentials set', () => {
  it('serves neither the trial page nor its API, so nothing can move the clock', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/local/api/people'],
      ['GET', '/local/api/clock'],
      ['POST', '/local/api/clock'],
      ['POST', '/local/api/send'],
      ['POST', '/local/api/tap'],
      ['POST', '/local/api/import'],
    ] as const) {
      const res = await fetch(`${t.bot.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? JSON.stringify({ nextWorkday9: true }) : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    // The webhook is still there.
    expect((await fetch(`${t.bot.url}/healthz`)).status).toBe(200);
  });
});
