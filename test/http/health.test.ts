import { describe, expect, it } from 'vitest';
import { useTestBot } from '../helpers/use-test-bot.js';

const t = useTestBot();

describe('health and readiness', () => {
  it('reports alive and ready while the database and scheduler run', async () => {
    const health = await fetch(`${t.bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: true, store: true, scheduler: true });
  });

  it('registers the recurring jobs in Agenda', async () => {
    const jobs = await t.db.connection
      .collection('agenda_jobs')
      .find({}, { projection: { name: 1, repeatInterval: 1 } })
      .toArray();
    expect(jobs.map((j) => j.name as string).sort()).toEqual([
      'accountability.reminders',
      'delivery.undelivered',
      'inbox.purge',
      'inbox.retry',
      'issue.supervision',
      'meeting.reminders',
      'patrol.reminders',
      'status.digest',
    ]);
  });

  it('answers 404 for unknown paths and 405 for GET on the webhook', async () => {
    expect((await fetch(`${t.bot.url}/nope`)).status).toBe(404);
    expect((await fetch(`${t.bot.url}/webhook/event`)).status).toBe(405);
  });

  it('is not ready once the scheduler has stopped', async () => {
    await t.bot.scheduler.stop();
    const ready = await fetch(`${t.bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', database: true, store: true, scheduler: false });
  });
});
