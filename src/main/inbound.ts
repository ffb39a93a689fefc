import { ChatHandlers } from '../chat/inbound-handlers.js';
import { MessageHandler } from '../chat/message-handler.js';
import type { Infrastructure } from '../features/feature.js';
import type { ComposedFeatures } from '../features/index.js';
import { EventDispatcher } from '../feishu/dispatcher.js';
import { EventIntake } from '../feishu/event-intake.js';
import type { FeishuApi } from '../feishu/messenger/feishu-api.js';
import type { JobDefinition } from '../jobs/definitions.js';
import type { Logger } from '../log/logger.js';
import { INBOX_DEFAULTS, InboxStore } from '../store/inbox-store.js';

/**
 * Received event ids are remembered this long: Feishu's last retry comes about six hours
 * after the first try (15 s, 5 min, 1 h, 6 h), so a day keeps every redelivery out.
 */
const INBOX_RETENTION_MS = 24 * 60 * 60_000;

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

/**
 * Where Feishu's events come in: the inbox that de-duplicates and retries them, handing each
 * to the features' commands, buttons and message handlers; and the inbox's own jobs.
 */
export function connectInbound(
  infra: Infrastructure,
  features: ComposedFeatures,
  instanceName: string | undefined,
): { intake: EventIntake; jobs: JobDefinition[] } {
  const { logger, messenger, commands } = infra;
  const chat = new ChatHandlers(
    new MessageHandler({
      commands,
      messenger,
      botOpenId: botIdentity(infra.api, logger),
      fileHandlers: features.messageHandlers,
    }),
    features.cardActions,
    commands,
    messenger,
  );
  const inbox = new InboxStore(infra.models, infra.clock, { owner: instanceName ?? 'bot' });
  const intake = new EventIntake(inbox, new EventDispatcher(chat, logger), logger.child({ component: 'intake' }), {
    // The embedded database, not Node, is what background events wait on; eight at a time
    // keep both of its cores busy without starving the claims that acknowledge deliveries.
    concurrency: 8,
    clock: infra.clock,
    lockMs: INBOX_DEFAULTS.lockMs,
  });
  const jobs: JobDefinition[] = [
    {
      name: 'inbox.retry',
      every: '1 minute',
      // Each retry attempt is leased per event; two sweeps at once share the work safely.
      once: false,
      run: () => intake.retryDue(),
    },
    {
      name: 'inbox.purge',
      // 03:30 daily in the district's time; Feishu's last retry comes about 7 hours after the first.
      every: '30 3 * * *',
      run: (dueAt) => inbox.purgeBefore(new Date(dueAt.getTime() - INBOX_RETENTION_MS)),
    },
  ];
  return { intake, jobs };
}
