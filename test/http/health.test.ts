import { describe, expect, it } from 'vitest';
import { useTestBot } from '../helpers/use-test-bot.js';

const t = useTestBot();
const byName = (a: { name: unknown }, b: { name: unknown }) => String(a.name).localeCompare(String(b.name));

describe('health and readiness', () => {
  it('reports alive and ready while the database and scheduler run', async () => {
    const health = await fetch(`${t.bot.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: true, store: true, scheduler: true });
  });

  it('registers every recurring job the features declare in Agenda, on its schedule', async () => {
    const jobs = await t.db.connection
      .collection('agenda_jobs')
      .find({}, { projection: { name: 1, repeatInterval: 1 } })
      .toArray();
    const declared = t.bot.scheduler.jobs.filter((j) => j.every);
    // The inbox's two, and at least one per feature that reminds or sends on its own.
    expect(declared.length).toBeGreaterThanOrEqual(8);
    expect(jobs.map((j) => ({ name: String(j.name), every: String(j.repeatInterval) })).sort(byName)).toEqual(
      declared.map((j) => ({ name: j.name, every: j.every })).sort(byName),
    );
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
