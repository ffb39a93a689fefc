/**
 * Every scheduled job, in one list. A job's body is one call into application code with the
 * time it was due; running it twice must do nothing the second time.
 */

/** What jobs call into; wired by main. */
export interface JobBodies {
  /** Re-run events that failed or whose worker died. */
  retryInboundEvents(): Promise<number>;
  /** Forget finished inbound events once Feishu can no longer redeliver them. */
  purgeInboundEvents(now: Date): Promise<number>;
  /** Patrol reminders, overdue notices and the office digest due now (each once-only). */
  sendPatrolReminders(now: Date): Promise<unknown>;
  /** 督办: problem deadline reminders, overdue notices and escalations due now (each once-only). */
  superviseIssues(now: Date): Promise<unknown>;
  /** Meeting, approval, annual-meeting, joint-meeting and four-lists reminders due now (each once-only). */
  remindMeetings(now: Date): Promise<unknown>;
  /** The monthly digest to the River Chief Office, on the month's first working day (once). */
  sendMonthlyDigest(now: Date): Promise<unknown>;
  /** 约谈 复核 reminders, approval-chain reminders and cut-short publications (each once-only). */
  remindAccountability(now: Date): Promise<unknown>;
  /** The “未送达” card to the River Chief Office: messages Feishu refused since the last one (once a day). */
  sendUndeliveredDigest(now: Date): Promise<unknown>;
}

export interface JobDefinition {
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
  run(bodies: JobBodies, dueAt: Date): Promise<unknown>;
}

export const JOB_DEFINITIONS: readonly JobDefinition[] = [
  {
    name: 'inbox.retry',
    every: '1 minute',
    // Each retry attempt is leased per event; two sweeps at once share the work safely.
    once: false,
    run: (bodies) => bodies.retryInboundEvents(),
  },
  {
    name: 'inbox.purge',
    // 03:30 daily in the district's time; Feishu's last retry comes about 7 hours after the first.
    every: '30 3 * * *',
    run: (bodies, dueAt) => bodies.purgeInboundEvents(dueAt),
  },
  {
    name: 'patrol.reminders',
    // Stages fall due at 09:00 local; a ten-minute sweep sends them soon after, on working days.
    every: '*/10 * * * *',
    run: (bodies, dueAt) => bodies.sendPatrolReminders(dueAt),
  },
  {
    name: 'issue.supervision',
    // Steps fall due at the reminder hour; only problems whose next step is due are read.
    every: '*/10 * * * *',
    run: (bodies, dueAt) => bodies.superviseIssues(dueAt),
  },
  {
    name: 'meeting.reminders',
    // Meeting reminders are hours before a start; the yearly ones fall due at the reminder hour.
    every: '*/10 * * * *',
    run: (bodies, dueAt) => bodies.remindMeetings(dueAt),
  },
  {
    name: 'status.digest',
    // Hourly is enough: it goes out at the reminder hour of the month's first working day.
    every: '5 * * * *',
    run: (bodies, dueAt) => bodies.sendMonthlyDigest(dueAt),
  },
  {
    name: 'accountability.reminders',
    // Review days and approval reminders fall due at the reminder hour; a publication cut
    // short is finished within minutes.
    every: '*/10 * * * *',
    run: (bodies, dueAt) => bodies.remindAccountability(dueAt),
  },
  {
    name: 'delivery.undelivered',
    // It goes out at the reminder hour of a working day; hourly finds that hour soon enough.
    every: '15 * * * *',
    run: (bodies, dueAt) => bodies.sendUndeliveredDigest(dueAt),
  },
];
