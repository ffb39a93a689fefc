import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Connection } from 'mongoose';
import {
  assessmentCommand,
  commendationCommand,
  incentiveCommand,
  registerApprovalActions,
  registerPlanActions,
} from '../chat/approval-actions.js';
import { CardActionRouter } from '../chat/card-actions.js';
import { helpCommand } from '../chat/commands/help.js';
import { CommandRegistry } from '../chat/commands/registry.js';
import { DirectoryUpload } from '../chat/directory-upload.js';
import {
  DocumentThreadReplies,
  decideCommand,
  draftCommand,
  meetingsCommand,
  registerDocumentActions,
  scheduleCommand,
} from '../chat/document-actions.js';
import { ChatHandlers } from '../chat/inbound-handlers.js';
import { inspectionCommand, registerInspectionActions } from '../chat/inspection-actions.js';
import { issueCommand, progressCommand, registerCommand, registerIssueActions } from '../chat/issue-actions.js';
import { IssueThreadReplies } from '../chat/issue-thread.js';
import { MessageHandler } from '../chat/message-handler.js';
import { keyProblemsCommand, patrolCommand, registerPatrolActions } from '../chat/patrol-actions.js';
import { PatrolAttachments } from '../chat/patrol-attachments.js';
import { exportCommand, overdueCommand, registerQueryActions } from '../chat/query-actions.js';
import {
  admonitionCommand,
  bulletinCommand,
  promptCommand,
  registerSanctionActions,
} from '../chat/sanction-actions.js';
import { SchemeUpload } from '../chat/scheme-upload.js';
import { digestCommand, statusCommand } from '../chat/status-command.js';
import type { Config, FeishuCredentials } from '../config/env.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { renderDocx } from '../export/document-docx.js';
import { renderLedger, renderWorkbook } from '../export/ledger-xlsx.js';
import { approvalCards } from '../feishu/cards/approval-cards.js';
import { documentCards } from '../feishu/cards/document-cards.js';
import { inspectionCards } from '../feishu/cards/inspection-cards.js';
import { issueCards } from '../feishu/cards/issue-cards.js';
import { listCards } from '../feishu/cards/list-cards.js';
import { patrolCards } from '../feishu/cards/patrol-cards.js';
import { planCards } from '../feishu/cards/plan-cards.js';
import { sanctionCards } from '../feishu/cards/sanction-cards.js';
import { statusCards } from '../feishu/cards/status-cards.js';
import { undeliveredCard } from '../feishu/cards/undelivered-card.js';
import { FeishuContacts } from '../feishu/contacts.js';
import { EventDispatcher } from '../feishu/dispatcher.js';
import { EventIntake } from '../feishu/event-intake.js';
import { FeishuMessageFiles } from '../feishu/message-files.js';
import { FeishuApi } from '../feishu/messenger/feishu-api.js';
import { FeishuMessenger } from '../feishu/messenger/feishu-messenger.js';
import { DEFAULT_RETRY, OutboxWorker } from '../feishu/messenger/outbox-worker.js';
import { RateLimiter } from '../feishu/messenger/rate-limiter.js';
import { webhookHandler } from '../feishu/transport/webhook.js';
import { LongConnection } from '../feishu/transport/ws.js';
import { createHttpApp } from '../http/app.js';
import { Scheduler } from '../jobs/scheduler.js';
import type { Logger } from '../log/logger.js';
import { ApprovalStore } from '../store/approval-store.js';
import { ClaimStore } from '../store/claim-store.js';
import { connectDatabase, isDatabaseReachable } from '../store/connection.js';
import { DirectoryStore } from '../store/directory-store.js';
import { DocumentStore } from '../store/document-store.js';
import { INBOX_DEFAULTS, InboxStore } from '../store/inbox-store.js';
import { InspectionStore } from '../store/inspection-store.js';
import { IssueStore } from '../store/issue-store.js';
import { MeetingStore } from '../store/meeting-store.js';
import { bindModels, ensureIndexes, type Models } from '../store/models/index.js';
import { OutboxStore } from '../store/outbox-store.js';
import { PatrolStore } from '../store/patrol-store.js';
import { type MongoServerHandle, provisionMongoServer } from '../store/provision/mongo-server.js';
import { storeIdentityMatches } from '../store/provision/store-identity.js';
import { SanctionStore } from '../store/sanction-store.js';
import { SanctionService } from '../workflows/accountability/sanction-service.js';
import { ApprovalService } from '../workflows/approvals/approval-service.js';
import { AssessmentService } from '../workflows/assessment/assessment-service.js';
import { PlanService } from '../workflows/commendations/plan-service.js';
import { UndeliveredDigest } from '../workflows/delivery/undelivered-digest.js';
import { DocumentService } from '../workflows/documents/document-service.js';
import { InspectionService } from '../workflows/inspections/inspection-service.js';
import { IssueService } from '../workflows/issues/issue-service.js';
import { IssueSupervision } from '../workflows/issues/supervision.js';
import { MeetingService } from '../workflows/meetings/meeting-service.js';
import { MeetingSweep } from '../workflows/meetings/meeting-sweep.js';
import { PatrolService } from '../workflows/patrols/patrol-service.js';
import { QueryService } from '../workflows/queries/query-service.js';
import { MonthlyDigest } from '../workflows/status/monthly-digest.js';
import { StatusService } from '../workflows/status/status-service.js';
import { sdkLogger } from './sdk-logger.js';

/**
 * Received event ids are remembered this long: Feishu's last retry comes about six hours
 * after the first try (15 s, 5 min, 1 h, 6 h), so a day keeps every redelivery out.
 */
const INBOX_RETENTION_MS = 24 * 60 * 60_000;

export interface StartBotOptions {
  config: Config;
  /** Credentials to use when config has none (local mode hands in its fake's). */
  credentials?: FeishuCredentials;
  logger: Logger;
  clock?: Clock;
  /** Host to listen on; all interfaces by default, loopback in tests. */
  host?: string;
  /** Scheduler polling; tests shorten it. */
  schedulerProcessEvery?: string | number;
  /** A name for this instance in logs and Agenda locks. */
  instanceName?: string;
}

/** Everything a running bot exposes to main, local mode, tests and benches. */
export interface RunningBot {
  url: string;
  port: number;
  connection: Connection;
  models: Models;
  intake: EventIntake;
  outbox: { store: OutboxStore; worker: OutboxWorker };
  messenger: FeishuMessenger;
  scheduler: Scheduler;
  commands: CommandRegistry;
  cardActions: CardActionRouter;
  patrols: PatrolService;
  issues: IssueService;
  supervision: IssueSupervision;
  sanctions: SanctionService;
  inspections: InspectionService;
  approvals: ApprovalService;
  assessment: AssessmentService;
  documents: DocumentService;
  meetings: MeetingService;
  meetingSweep: MeetingSweep;
  status: StatusService;
  digest: MonthlyDigest;
  undelivered: UndeliveredDigest;
  stop(): Promise<void>;
}

/** Remembers the bot's open_id once Feishu has told it; asks again after a failure. */
function botIdentity(api: FeishuApi, logger: Logger): () => Promise<string | undefined> {
  let known: string | undefined;
  return async () => {
    if (known) return known;
    try {
      known = await api.botOpenId();
    } catch (error) {
      logger.warn({ err: error }, 'could not read the bot identity; treating any @-mention as addressed to the bot');
    }
    return known;
  };
}

/** The composition root: connects, wires every layer, listens, and knows how to stop. */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const credentials = config.feishu.credentials ?? options.credentials;
  if (!credentials) throw new Error('startBot needs Feishu credentials (or local mode)');

  const cleanups: Array<() => Promise<void> | void> = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
      }
    }
  };

  try {
    let dbServer: MongoServerHandle | undefined;
    if (!config.mongodbUri) {
      dbServer = await provisionMongoServer({ dataDir: join(config.dataDir, 'db'), logger, role: 'bot' });
      cleanups.push(() => dbServer?.stop());
    }
    const uri = config.mongodbUri ?? dbServer?.uri ?? '';
    const connection = await connectDatabase(uri);
    cleanups.push(() => connection.close());
    const models = bindModels(connection);
    await ensureIndexes(models);

    const client = new lark.Client({
      appId: credentials.appId,
      appSecret: credentials.appSecret,
      domain: config.feishu.domain,
      logger: sdkLogger(logger),
      loggerLevel: lark.LoggerLevel.warn,
    });
    const api = new FeishuApi(client);
    const outboxStore = new OutboxStore(models.outboxMessages, clock);
    const worker = new OutboxWorker(outboxStore, api, new RateLimiter(), clock, logger.child({ component: 'outbox' }), {
      ...DEFAULT_RETRY,
      giveUpAfterMs: config.outbox.giveUpAfterMs,
    });
    const messenger = new FeishuMessenger(outboxStore, worker);

    const directory = new DirectoryStore(models, clock);
    const issueStore = new IssueStore(models, clock, config.timezone);
    const patrolStore = new PatrolStore(models, clock);
    const issues = new IssueService({
      directory,
      issues: issueStore,
      claims: new ClaimStore(models, clock),
      patrols: patrolStore,
      messenger,
      cards: issueCards,
      clock,
      timeZone: config.timezone,
      logger: logger.child({ component: 'issues' }),
    });
    const approvalStore = new ApprovalStore(models);
    const sanctions = new SanctionService({
      directory,
      sanctions: new SanctionStore(models),
      issues: issueStore,
      messenger,
      cards: sanctionCards,
      clock,
      timeZone: config.timezone,
      logger: logger.child({ component: 'sanctions' }),
    });
    const supervision = new IssueSupervision(issues.ctx, (notice, kind, by) =>
      sanctions.fromSupervision(notice, kind, by),
    );
    const inspections = new InspectionService({
      directory,
      inspections: new InspectionStore(models),
      issueStore,
      issues,
      messenger,
      cards: inspectionCards,
      clock,
      timeZone: config.timezone,
      logger: logger.child({ component: 'inspections' }),
    });
    const documents = new DocumentService({
      directory,
      documents: new DocumentStore(models),
      meetings: new MeetingStore(models),
      claims: new ClaimStore(models, clock),
      issueStore,
      issues,
      messenger,
      cards: documentCards,
      renderDocx,
      clock,
      timeZone: config.timezone,
      logger: logger.child({ component: 'documents' }),
    });
    const meetings = new MeetingService(documents.ctx);
    const meetingSweep = new MeetingSweep(documents.ctx, documents);
    const queries = new QueryService({
      directory,
      issues: issueStore,
      patrols: patrolStore,
      renderLedger,
      meetings: documents.ctx.deps.meetings,
      documents: documents.ctx.deps.documents,
      approvals: approvalStore,
      sanctions: sanctions.deps.sanctions,
      cards: listCards,
      clock,
      timeZone: config.timezone,
    });
    const patrols = new PatrolService({
      directory,
      patrols: patrolStore,
      messenger,
      cards: patrolCards,
      clock,
      timeZone: config.timezone,
      logger: logger.child({ component: 'patrols' }),
      onProblems: (patrol) => issues.reportFromPatrol(patrol),
      onWithdrawn: (patrolKey) => issues.offerWithdrawal(patrolKey),
    });
    const status = new StatusService({
      directory,
      patrols: patrolStore,
      issues: issueStore,
      meetings: documents.ctx.deps.meetings,
      documents: documents.ctx.deps.documents,
      cards: statusCards,
      clock,
      timeZone: config.timezone,
      undelivered: outboxStore,
    });
    const digest = new MonthlyDigest(status, messenger);
    const approvals = new ApprovalService({
      directory,
      approvals: approvalStore,
      documents: documents.ctx.deps.documents,
      messenger,
      cards: approvalCards,
      clock,
      timeZone: config.timezone,
      logger: logger.child({ component: 'approvals' }),
    });
    const assessment = new AssessmentService({
      directory,
      approvals: approvalStore,
      chain: approvals,
      issues: issueStore,
      patrols: patrolStore,
      sanctions: sanctions.deps.sanctions,
      renderWorkbook,
      messenger,
      clock,
      timeZone: config.timezone,
    });
    const plans = new PlanService({
      directory,
      approvals: approvalStore,
      chain: approvals,
      cards: planCards,
      clock,
      timeZone: config.timezone,
    });
    const commands = new CommandRegistry();
    commands.register(statusCommand(status));
    commands.register(digestCommand(digest));
    commands.register(patrolCommand(patrols, queries));
    commands.register(keyProblemsCommand(patrols));
    commands.register(registerCommand(issues));
    commands.register(progressCommand(issues));
    commands.register(issueCommand(issues, queries));
    commands.register(scheduleCommand(meetings));
    commands.register(decideCommand(documents, queries));
    commands.register(meetingsCommand(queries));
    commands.register(exportCommand(queries));
    commands.register(overdueCommand(queries));
    commands.register(draftCommand(meetings));
    commands.register(promptCommand(sanctions));
    commands.register(bulletinCommand(sanctions));
    commands.register(admonitionCommand(sanctions));
    commands.register(inspectionCommand(inspections));
    commands.register(assessmentCommand(assessment, config.timezone, () => clock.now()));
    commands.register(commendationCommand(plans, config.timezone, () => clock.now()));
    commands.register(incentiveCommand(plans, config.timezone, () => clock.now()));
    commands.register(helpCommand(commands, (openId) => queries.audiences(openId)));
    const cardActions = new CardActionRouter(messenger, new ClaimStore(models, clock));
    registerPatrolActions(cardActions, patrols, messenger);
    registerIssueActions(cardActions, issues, supervision);
    registerDocumentActions(cardActions, documents, meetings);
    registerQueryActions(cardActions, queries, messenger);
    registerSanctionActions(cardActions, sanctions);
    registerInspectionActions(cardActions, inspections);
    registerApprovalActions(cardActions, approvals, assessment);
    registerPlanActions(cardActions, plans);
    const directoryUpload = new DirectoryUpload({
      store: directory,
      contacts: new FeishuContacts(client),
      files: new FeishuMessageFiles(client),
    });
    const chat = new ChatHandlers(
      new MessageHandler({
        commands,
        messenger,
        botOpenId: botIdentity(api, logger),
        fileHandlers: [
          new DocumentThreadReplies(documents),
          new SchemeUpload({ directory, approvals: approvalStore, files: new FeishuMessageFiles(client), clock }),
          directoryUpload,
          new IssueThreadReplies(issues),
          new PatrolAttachments(patrols),
        ],
      }),
      cardActions,
      commands,
      messenger,
    );
    const inbox = new InboxStore(models, clock, { owner: options.instanceName ?? 'bot' });
    const intake = new EventIntake(inbox, new EventDispatcher(chat, logger), logger.child({ component: 'intake' }), {
      // The embedded database, not Node, is what background events wait on; eight at a time
      // keep both of its cores busy without starving the claims that acknowledge deliveries.
      concurrency: 8,
      clock,
      lockMs: INBOX_DEFAULTS.lockMs,
    });

    const undelivered = new UndeliveredDigest({
      failures: outboxStore,
      directory,
      messenger,
      render: undeliveredCard,
      timeZone: config.timezone,
      logger: logger.child({ component: 'undelivered' }),
    });
    const scheduler = new Scheduler(
      connection.db!,
      {
        retryInboundEvents: () => intake.retryDue(),
        purgeInboundEvents: (now) => inbox.purgeBefore(new Date(now.getTime() - INBOX_RETENTION_MS)),
        sendPatrolReminders: (now) => patrols.sweep(now),
        superviseIssues: (now) => supervision.sweep(now),
        remindMeetings: (now) => meetingSweep.sweep(now),
        sendMonthlyDigest: (now) => digest.sendIfDue(now),
        remindAccountability: async (now) => ({
          reviews: await sanctions.sweep(now),
          approvals: await approvals.sweep(now),
        }),
        sendUndeliveredDigest: (now) => undelivered.sendIfDue(now),
      },
      logger.child({ component: 'scheduler' }),
      { timezone: config.timezone, processEvery: options.schedulerProcessEvery, name: options.instanceName },
    );
    // Patrols recorded before role and period keys were kept get them now (once; cheap after).
    const backfilled = await patrols.backfillDerived();
    if (backfilled > 0) logger.info({ patrols: backfilled }, 'patrol period keys backfilled');
    const months = await issueStore.backfillMonths();
    if (months > 0) logger.info({ issues: months }, 'problem month keys backfilled');
    await scheduler.start();
    cleanups.push(() => scheduler.stop());

    worker.start();
    cleanups.push(() => worker.stop());

    const app = createHttpApp({
      logger,
      webhook: webhookHandler({
        secrets: {
          verificationToken: credentials.verificationToken,
          encryptKey: credentials.encryptKey,
          maxClockSkewSeconds: config.feishu.maxClockSkewSeconds,
        },
        intake,
        clock,
        logger: logger.child({ component: 'webhook' }),
      }),
      readiness: async () => {
        const database = await isDatabaseReachable(connection);
        // The embedded store must be the one recorded for the data directory, not merely some database.
        const storeId = dbServer?.storeId;
        const store = database && (storeId ? await storeIdentityMatches(connection.getClient(), storeId) : true);
        const schedulerRunning = scheduler.isRunning;
        return {
          ready: database && store && schedulerRunning,
          checks: { database, store, scheduler: schedulerRunning },
        };
      },
    });

    if (config.feishu.transport === 'ws') {
      const ws = new LongConnection(
        {
          appId: credentials.appId,
          appSecret: credentials.appSecret,
          domain: config.feishu.domain,
          logger,
          sdkLogger: sdkLogger(logger),
        },
        intake,
      );
      await ws.start();
      cleanups.push(() => ws.stop());
    }

    const server: Server = createServer(app.callback());
    // Feishu gives 3 s; anything hanging longer is dead weight.
    server.requestTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, options.host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    // Stop taking requests first; then let in-flight events finish before the rest closes.
    cleanups.push(() => intake.idle());
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    logger.info({ port, transport: config.feishu.transport, domain: config.feishu.domain }, 'bot started');

    let stopping: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      connection,
      models,
      intake,
      outbox: { store: outboxStore, worker },
      messenger,
      scheduler,
      commands,
      cardActions,
      patrols,
      issues,
      supervision,
      sanctions,
      inspections,
      approvals,
      assessment,
      documents,
      meetings,
      meetingSweep,
      status,
      digest,
      undelivered,
      stop: () => (stopping ??= runCleanups().then(() => logger.info('bot stopped'))),
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}
