import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalClock } from '../../src/local/local-clock.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the local clock', () => {
  it('moves only forward and keeps its time across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hehu-clock-'));
    dirs.push(dir);
    const clock = await LocalClock.open(dir);
    const later = new Date(clock.now().getTime() + 40 * 24 * 3600_000);
    expect(await clock.moveTo(later)).toBe(true);
    expect(await clock.moveTo(new Date(later.getTime() - 3600_000))).toBe(false);
    const reopened = await LocalClock.open(dir);
    expect(reopened.now().getTime()).toBeGreaterThanOrEqual(later.getTime());
    expect(reopened.offsetMs).toBe(clock.offsetMs);
  });
});
