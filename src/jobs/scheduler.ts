import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, type Job } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from '../log/logger.js';
import type { JobDefinition } from './definitions.js';

const JOBS_COLLECTION = 'agenda_jobs';
/** One record per job and due time, inserted before the body runs: the run's claim. */
const RUNS_COLLECTION = 'job_runs';
/** Run claims are kept a week, long past any instance that could still race for one. */
const RUN_RETENTION_MS = 7 * 24 * 60 * 60_000;

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * Agenda on the bot's own database. It runs the jobs it is given (each feature declares its
 * own); this file only starts, stops and reports on the scheduler.
 *
 * Agenda locks and creates its job documents with findOneAndUpdate, which the embedded
 * FerretDB does not apply atomically across connections: two instances could both lock one
 * run, and two instances starting at once could both insert a job's document. So:
 * - a unique index on the job name keeps one document per job (the losing insert fails and
 *   is retried as the update it should have been);
 * - each run first inserts a claim keyed by job name and due time; only the instance whose
 *   insert succeeds runs the body. Inserts on a unique `_id` are atomic on both servers.
 */
export class Scheduler {
  readonly agenda: Agenda;
  private started = false;
  private lastRunPurge = 0;

  constructor(
    private readonly db: Db,
    /** Every job the features declare: the catalogue. */
    readonly jobs: readonly JobDefinition[],
    private readonly logger: Logger,
    private readonly options: {
      timezone: string;
      processEvery?: string | number;
      name?: string;
      /** Local mode only: how far the bot's clock runs ahead of the system clock (Agenda keeps system time). */
      shiftMs?: () => number;
    },
  ) {
    const names = new Set<string>();
    for (const job of jobs) {
      if (names.has(job.name)) throw new Error(`job ${job.name} is declared twice`);
      names.add(job.name);
    }
    this.agenda = new Agenda({
      backend: new MongoBackend({ mongo: db, collection: JOBS_COLLECTION }),
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
    for (const definition of this.jobs) {
      this.agenda.define(definition.name, async (job: Job) => {
        // Agenda has already moved nextRunAt to the occurrence after this one when the body
        // runs. For a cron schedule that is the same instant on every instance that runs
        // this occurrence, so it names the occurrence.
        const shift = this.options.shiftMs?.() ?? 0;
        const occurrence = new Date((job.attrs.nextRunAt ?? job.attrs.lastRunAt ?? new Date()).getTime() + shift);
        const dueAt = new Date((job.attrs.lastRunAt ?? new Date()).getTime() + shift);
        await this.runDue(definition, occurrence, dueAt);
      });
    }
    await this.oneDocumentPerJob();
    await this.agenda.start();
    for (const definition of this.jobs) {
      if (definition.every) await this.schedule(definition.name, definition.every);
    }
    this.started = true;
  }

  /**
   * Runs a job's body for one occurrence unless another instance already has. Returns
   * whether this call ran it. Agenda calls it; tests call it to race two instances.
   */
  async runDue(definition: JobDefinition | string, occurrence: Date, dueAt: Date): Promise<boolean> {
    const name = typeof definition === 'string' ? definition : definition.name;
    const job = this.jobs.find((d) => d.name === name);
    if (!job) throw new Error(`no job named ${name}`);
    const log = this.logger.child({ job: job.name });
    if (job.once !== false && !(await this.claimRun(job.name, occurrence))) {
      log.info({ occurrence }, 'job occurrence already run by another instance');
      return false;
    }
    const result = await job.run(dueAt);
    log.debug({ result }, 'job done');
    return true;
  }

  /**
   * Runs every job's body as at `now`, once per job and instant: local mode calls it after
   * moving its clock, so what falls due at the new time is sent without waiting for Agenda.
   */
  async runAll(now: Date): Promise<void> {
    for (const definition of this.jobs) await this.runDue(definition, now, now);
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

  private async claimRun(name: string, occurrence: Date): Promise<boolean> {
    const runs = this.db.collection<{ _id: string; by: string; at: Date }>(RUNS_COLLECTION);
    const now = Date.now();
    try {
      await runs.insertOne({
        _id: `${name}@${occurrence.toISOString()}`,
        by: this.options.name ?? 'bot',
        at: new Date(now),
      });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    // Once a day per process, forget claims nobody can race for any more.
    if (now - this.lastRunPurge > 24 * 60 * 60_000) {
      this.lastRunPurge = now;
      await runs.deleteMany({ at: { $lt: new Date(now - RUN_RETENTION_MS) } });
    }
    return true;
  }

  /**
   * Removes the extra documents that racing starts left for one job (older versions had no
   * guard), then indexes the name as unique so no second one can appear.
   */
  private async oneDocumentPerJob(): Promise<void> {
    const jobs = this.db.collection(JOBS_COLLECTION);
    const names = new Set(this.jobs.map((d) => d.name));
    const seen = new Set<string>();
    for (const doc of await jobs
      .find({}, { projection: { _id: 1, name: 1 } })
      .sort({ _id: 1 })
      .toArray()) {
      const name = String(doc.name);
      if (!names.has(name)) continue;
      if (seen.has(name)) await jobs.deleteOne({ _id: doc._id });
      else seen.add(name);
    }
    await jobs.createIndex({ name: 1 }, { unique: true, name: 'one_document_per_job' });
  }

  /** Agenda's every(): an upsert that, losing a race on the unique name, becomes an update. */
  private async schedule(name: string, every: string): Promise<void> {
    const options = { timezone: this.options.timezone, skipImmediate: true };
    try {
      await this.agenda.every(every, name, undefined, options);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.agenda.every(every, name, undefined, options);
    }
  }
}
