import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, type Job } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from '../log/logger.js';
import { JOB_DEFINITIONS, type JobBodies } from './definitions.js';

/**
 * Agenda on the bot's own database. Every job is defined in definitions.ts; this file only
 * starts, stops and reports on the scheduler. Agenda's locking lets several instances share
 * the work, so a job runs on one of them.
 */
export class Scheduler {
  readonly agenda: Agenda;
  private started = false;

  constructor(
    db: Db,
    private readonly bodies: JobBodies,
    private readonly logger: Logger,
    private readonly options: { timezone: string; processEvery?: string | number; name?: string },
  ) {
    this.agenda = new Agenda({
      backend: new MongoBackend({ mongo: db, collection: 'agenda_jobs' }),
      processEvery: options.processEvery ?? '10 seconds',
      name: options.name,
      maxConcurrency: 10,
      defaultLockLifetime: 5 * 60_000,
    });
    this.agenda.on('error', (error) => this.logger.error({ err: error }, 'scheduler error'));
    this.agenda.on('fail', (error: unknown, job: unknown) =>
      this.logger.error({ err: error, job: (job as Job | undefined)?.attrs?.name }, 'job failed'),
    );
  }

  async start(): Promise<void> {
    for (const definition of JOB_DEFINITIONS) {
      this.agenda.define(definition.name, async (job: Job) => {
        // The time it was due, not the time a busy worker got to it.
        const dueAt = job.attrs.lastRunAt ?? job.attrs.nextRunAt ?? new Date();
        const log = this.logger.child({ job: definition.name });
        const result = await definition.run(this.bodies, dueAt);
        log.debug({ result }, 'job done');
      });
    }
    await this.agenda.start();
    for (const definition of JOB_DEFINITIONS) {
      if (definition.every) {
        await this.agenda.every(definition.every, definition.name, undefined, { timezone: this.options.timezone, skipImmediate: true });
      }
    }
    this.started = true;
  }

  get isRunning(): boolean {
    return this.started && this.agenda.isActiveJobProcessor();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Finish running jobs and release locks; the connection belongs to the bot, not Agenda.
    await this.agenda.stop(false);
  }
}
