import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../domain/clock.js';

/**
 * Local mode's clock: the system time plus an offset that the trial page can only move
 * forward, so a newcomer sees a reminder day without waiting for it. The offset is kept in
 * BOT_DATA_DIR, so a restart resumes at the moved time (everything recorded meanwhile was
 * stamped with it). Production never builds one: it runs on the system clock.
 */
export class LocalClock implements Clock {
  private constructor(
    private readonly file: string,
    private offset: number,
  ) {}

  static async open(dataDir: string): Promise<LocalClock> {
    const file = join(dataDir, 'local-clock.json');
    let offset = 0;
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as { offsetMs?: unknown };
      if (typeof saved.offsetMs === 'number' && Number.isFinite(saved.offsetMs) && saved.offsetMs > 0)
        offset = saved.offsetMs;
    } catch {
      // No file yet: the clock starts at the system time.
    }
    return new LocalClock(file, offset);
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** How far ahead of the system clock this one runs, in milliseconds. */
  get offsetMs(): number {
    return this.offset;
  }

  /**
   * Moves the clock to `to`; false (and nothing changes) when that is in the clock's past,
   * since records already stamped later would then lie in the future.
   */
  async moveTo(to: Date): Promise<boolean> {
    const offset = to.getTime() - Date.now();
    if (to.getTime() < this.now().getTime()) return false;
    this.offset = offset;
    await mkdir(join(this.file, '..'), { recursive: true });
    await writeFile(this.file, JSON.stringify({ offsetMs: offset, movedTo: to.toISOString() }, null, 2));
    return true;
  }
}
