/**
 * What a scheduled job is. Each feature declares its own jobs (src/features/<feature>/module.ts);
 * the scheduler registers whatever the features declare. A job's body is one call into
 * application code with the time it was due; running it twice must do nothing the second time.
 */
export interface JobDefinition {
  /** Agenda's job name, persisted in its job documents: never rename a job that has run. */
  name: string;
  /**
   * Recurring interval (human-interval, or cron in the bot's time zone); omitted for one-off
   * jobs. A job that runs once per due time needs cron: its occurrences are the same instants
   * on every instance, which the run claim is keyed by.
   */
  every?: string;
  /**
   * Whether each due time runs on one instance only (a run claim keyed by name and due
   * time; the default). False for a job whose every piece of work is claimed on its own.
   */
  once?: boolean;
  run(dueAt: Date): Promise<unknown>;
}
