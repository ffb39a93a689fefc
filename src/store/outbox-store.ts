import type { Collection } from 'mongodb';
import type { Clock } from '../domain/clock.js';
import type { DeliveryFailureKind, DeliveryTarget, FailedDelivery } from '../domain/delivery/failure.js';
import { bulkWriteInSlices } from './bulk-write.js';
import { batchedDeleteById, batchedInsert, type GroupCommit } from './group-commit.js';
import { type OutboxArchiveModels, outboxArchiveModels } from './models/outbox-archive.js';
import type { OutboxMessageDoc, OutboxMessageModel, OutboxOperation } from './models/outbox-message.js';
import { type UploadedFileModel, uploadedFileModel } from './models/uploaded-file.js';
import { isDuplicateKey } from './mongo-errors.js';
import { Serial } from './serial.js';

export type OutboxRecord = OutboxMessageDoc;

/** Due messages looked at per claim: the oldest few, so a lost lease race moves on to the next. */
const CLAIM_CANDIDATES = 16;
/** A lease older than this belonged to a worker that died mid-attempt; its message was claimed again since. */
const LEASE_PURGE_AFTER_MS = 24 * 3_600_000;
/** Records moved out of the hot collection per housekeeping round. */
const HOUSEKEEPING_BATCH = 500;

/**
 * In `outbox_settled`, the record of a created or replied message is joined by one under
 * its Feishu message id (`message:om_…`), holding its key: one write settles both, and a
 * thread's root or a tapped card is told by one read. Keys never start with this.
 */
const MESSAGE_PREFIX = 'message:';
/** Message ids remembered in process: what one stands for never changes once settled. */
const KNOWN_MESSAGES = 10_000;

/** What a Feishu message id stands for: the key it was sent under and, on a fresh card, the copy it is. */
interface MessageKeyDoc {
  _id: string;
  key: string;
  copyOf: string | null;
  /** The queue order of the newest update of this card shown so far (see patchOutdated). */
  patched?: number;
}

/** A record's place in the queue; records queued before orders were kept fall back to their time. */
export function queueOrder(record: Pick<OutboxRecord, 'order' | 'createdAt'>): number {
  return record.order ?? record.createdAt.getTime() * 1000;
}

/** What a message keeps once it leaves the hot collection: where it went, not what it said. */
function compact(operation: OutboxOperation): OutboxOperation {
  switch (operation.op) {
    case 'send':
    case 'reply':
    case 'patch':
      return { ...operation, content: '' };
    case 'sendFile':
      return { ...operation, data: '' };
    case 'delayedUpdate':
      return { ...operation, card: {} };
    case 'urgent':
      return operation;
  }
}

/**
 * Persistence of the outbox: enqueue once per key, claim due work exclusively, record outcomes.
 *
 * The hot collection (`outbox_messages`) holds only what is still to do and recent failures;
 * a delivered message moves to `outbox_settled` under the same `_id` at once, its Feishu
 * message id to `outbox_message_ids`. Both are read by `_id` only, so the searches of the hot
 * collection touch a bounded number of documents however long the history.
 */
export class OutboxStore {
  private readonly claims = new Serial();
  private readonly archive: OutboxArchiveModels;
  /** Leases this process inserted and has not yet removed: only these need deleting. */
  private readonly held = new Set<string>();
  /**
   * Whether records from before messages settled at once may still be found where they
   * were kept (sent ones in the hot collection, message ids in `outbox_message_ids`).
   * Housekeeping moves them and clears this, so lookups of unknown ids stop reading there.
   */
  private legacyMayRemain = true;
  /** `outbox_settled` through the driver: it holds two shapes of document, keyed by string. */
  private readonly settledRaw: Collection<{ _id: string }>;
  /** Message id → what it stands for, for ids found settled (immutable, so safe across instances). */
  private readonly knownMessages = new Map<string, { key: string; copyOf: string | null }>();
  /** The hot collection's inserts and removals, grouped per command when messages go together. */
  private readonly insertHot: GroupCommit<OutboxRecord, boolean>;
  private readonly deleteHot: GroupCommit<string, void>;
  /** The last queue order given in this process (microseconds; see OutboxMessageDoc.order). */
  private lastOrder = 0;

  constructor(
    private readonly model: OutboxMessageModel,
    private readonly clock: Clock,
    /** How long a claimed message is held before another worker may take it over. */
    private readonly lockMs = 60_000,
    private readonly uploads: UploadedFileModel = uploadedFileModel(model.db),
  ) {
    this.archive = outboxArchiveModels(model.db);
    this.settledRaw = this.archive.outboxSettled.collection as unknown as Collection<{ _id: string }>;
    const hot = model.collection as unknown as Collection<OutboxRecord>;
    this.insertHot = batchedInsert(hot);
    this.deleteHot = batchedDeleteById(hot);
  }

  /**
   * Queues a message under its logical key and returns it, or null when that key was queued
   * before. With `claimNow` the record is born claimed by the caller, who sends it at once:
   * the unique insert is the claim, so the usual path needs no search of the outbox.
   */
  async enqueue(
    key: string,
    operation: OutboxOperation,
    rateKey: string,
    timing: { claimNow: true } | { notBefore: Date },
    /** A fresh card sent in place of a copy: it becomes the copy under `copyOf`, showing the update queued at `shows`. */
    fresh?: { copyOf: string; shows: number },
  ): Promise<OutboxRecord | null> {
    const now = this.clock.now();
    const claimed = 'claimNow' in timing;
    this.lastOrder = Math.max(now.getTime() * 1000, this.lastOrder + 1);
    const record: OutboxRecord = {
      _id: key,
      key,
      operation,
      rateKey,
      status: claimed ? 'sending' : 'pending',
      attempts: claimed ? 1 : 0,
      // Born claimed is claim 1: sweeps claim with number claims + 1, so none can take it.
      claims: claimed ? 1 : 0,
      createdAt: now,
      order: this.lastOrder,
      nextAttemptAt: claimed ? now : timing.notBefore,
      lockedUntil: claimed ? new Date(now.getTime() + this.lockMs) : null,
      lastError: null,
      sentAt: null,
      messageId: null,
      chatId: null,
      copyOf: fresh?.copyOf ?? null,
      shows: fresh?.shows ?? null,
      freshMessageId: null,
      freshSentAt: null,
      resentAs: null,
      failedAt: null,
      failureKind: null,
      failureCode: null,
      reportedIn: null,
    };
    if (!(await this.insertHot.run(record))) return null;
    // Delivered before and moved out of the hot collection: the key is taken. Checked after
    // the insert, so a move racing with it is seen (the mover writes settled, then deletes).
    if (await this.archive.outboxSettled.exists({ _id: key })) {
      await this.model.deleteOne({ _id: key, createdAt: now, claims: claimed ? 1 : 0 });
      return null;
    }
    return { ...record };
  }

  /**
   * Claims the oldest due message (a retry, or one whose worker died) and counts the attempt.
   * This searches the outbox, so the worker only calls it on its periodic sweep.
   * Across instances Feishu's `uuid` on create and reply is the second guard against a double send.
   */
  async claimDue(): Promise<OutboxRecord | null> {
    return this.claims.run(() => this.claimOne());
  }

  /**
   * Looks at the oldest due messages and claims the first whose lease it can insert. Only the
   * inserter of lease `key#n` moves the record to claim n and sends: the insert is atomic on
   * every backend, where a conditional update is not on the embedded FerretDB.
   */
  private async claimOne(): Promise<OutboxRecord | null> {
    const now = this.clock.now();
    const candidates = await this.model
      .find({
        $or: [
          { status: 'pending', nextAttemptAt: { $lte: now } },
          { status: 'sending', lockedUntil: { $lte: now } },
        ],
      })
      .sort({ nextAttemptAt: 1 })
      .limit(CLAIM_CANDIDATES)
      .lean<OutboxRecord[]>()
      .exec();
    for (const candidate of candidates) {
      const claimed = await this.claim(candidate, now);
      if (claimed) return claimed;
    }
    return null;
  }

  private async claim(record: OutboxRecord, now: Date): Promise<OutboxRecord | null> {
    const claims = record.claims ?? 0;
    const lease = leaseId(record.key, claims + 1);
    try {
      await this.archive.outboxLeases.create({ _id: lease, key: record.key, at: now });
    } catch (error) {
      if (isDuplicateKey(error)) return null; // another worker has this attempt
      throw error;
    }
    this.held.add(lease);
    const lockedUntil = new Date(now.getTime() + this.lockMs);
    // A lease of an earlier claim may be inserted late by a worker that read an old copy of
    // the record: the claim number in the filter makes that one a no-op.
    const moved = await this.model.updateOne(
      { _id: record._id, claims: claims === 0 ? { $in: [0, null] } : claims },
      { $set: { status: 'sending', lockedUntil, claims: claims + 1 }, $inc: { attempts: 1 } },
    );
    if (moved.modifiedCount !== 1) {
      await this.dropLease(lease);
      return null;
    }
    // A worker that died after delivering but before leaving the hot collection left this one.
    if (await this.archive.outboxSettled.exists({ _id: record._id })) {
      await this.model.deleteOne({ _id: record._id });
      await this.dropLease(lease);
      return null;
    }
    return { ...record, status: 'sending', lockedUntil, claims: claims + 1, attempts: record.attempts + 1 };
  }

  /**
   * Ends the current claim on a record. Only a lease this process inserted is deleted: a
   * record born claimed has none, and leftovers of a crashed worker are purged by
   * housekeeping. A lease left behind blocks nothing, since claim numbers only grow.
   */
  private async release(record: OutboxRecord): Promise<void> {
    const lease = leaseId(record.key, record.claims ?? 0);
    if (this.held.has(lease)) await this.dropLease(lease);
  }

  private async dropLease(lease: string): Promise<void> {
    await this.archive.outboxLeases.deleteOne({ _id: lease });
    this.held.delete(lease);
  }

  /**
   * Moves a finished record out of the hot collection; the settled copy (with, for a created
   * or replied message, the record of its message id) is written first, in one command.
   */
  private async settle(
    record: OutboxRecord,
    fields: Partial<OutboxRecord>,
    /** Feishu accepted it: a card update's message now shows it (see patchOutdated). */
    delivered = false,
  ): Promise<void> {
    const settled: OutboxRecord = { ...record, ...fields, operation: compact(record.operation), lockedUntil: null };
    const op = record.operation.op;
    const byMessage: MessageKeyDoc | undefined =
      settled.messageId && (op === 'send' || op === 'reply')
        ? {
            _id: MESSAGE_PREFIX + settled.messageId,
            key: record.key,
            copyOf: record.copyOf ?? null,
            // A fresh card shows an update already: older ones must not follow it.
            ...(record.shows != null ? { patched: record.shows } : {}),
          }
        : undefined;
    // A delivered card update: the message now shows it, or a newer one.
    const shown = delivered && op === 'patch' && settled.messageId ? MESSAGE_PREFIX + settled.messageId : undefined;
    try {
      await this.settledRaw.bulkWrite(
        [
          { replaceOne: { filter: { _id: record._id }, replacement: settled, upsert: true } },
          ...(byMessage
            ? [{ replaceOne: { filter: { _id: byMessage._id }, replacement: byMessage, upsert: true } }]
            : []),
          ...(shown
            ? [{ updateOne: { filter: { _id: shown }, update: { $max: { patched: queueOrder(record) } } } }]
            : []),
        ],
        { ordered: false },
      );
    } catch (error) {
      // Two writers upserting one new _id: the loser's insert fails; the document exists now.
      if (!isDuplicateKey(error)) throw error;
      await this.settledRaw.replaceOne({ _id: record._id }, settled);
    }
    await this.deleteHot.run(record._id);
  }

  /** Delivered: the record leaves the hot collection for the settled one. */
  async markSent(record: OutboxRecord, messageId: string | undefined, chatId?: string): Promise<void> {
    await this.settle(
      record,
      {
        status: 'sent',
        sentAt: this.clock.now(),
        lastError: null,
        messageId: messageId ?? null,
        chatId: chatId ?? null,
      },
      true,
    );
    await this.release(record);
  }

  /** A fresh card replaced the copy under `copyKey`: later updates and buzzes go to it. */
  async adoptFresh(copyKey: string, messageId: string, sentAt: Date): Promise<void> {
    const fresh = { $set: { freshMessageId: messageId, freshSentAt: sentAt } };
    await this.archive.outboxSettled.updateOne({ _id: copyKey }, fresh);
    // A copy delivered before settled records existed is still in the hot collection.
    await this.model.updateOne({ _id: copyKey, status: 'sent' }, fresh);
  }

  /** A patch answered by sending a fresh card (queued under `freshKey`) instead. */
  async markSuperseded(record: OutboxRecord, freshKey: string): Promise<void> {
    await this.settle(record, { status: 'sent', sentAt: this.clock.now(), lastError: null, resentAs: freshKey });
    await this.release(record);
  }

  /**
   * Whether an update of a card message would show an older state than Feishu will show
   * anyway: a newer update of the same message is still queued (it goes after this one), or
   * one was already delivered. Each update replaces the whole card, and its body is the card
   * alone, with nothing that orders it against other updates
   * (https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch ,
   * 更新已发送的消息卡片; 全量更新 in https://open.feishu.cn/document/feishu-cards/update-feishu-card ),
   * so an update retried after an outage, or sent alongside a newer one, would otherwise put
   * an old state back on the card.
   */
  async patchOutdated(record: OutboxRecord, messageId: string): Promise<boolean> {
    const order = queueOrder(record);
    const [newer, shown] = await Promise.all([
      this.model
        .exists({
          rateKey: record.rateKey,
          order: { $gt: order },
          status: { $in: ['pending', 'sending'] },
          'operation.op': 'patch',
        })
        .exec(),
      this.settledRaw.findOne<MessageKeyDoc>({ _id: MESSAGE_PREFIX + messageId }, { projection: { patched: 1 } }),
    ]);
    return newer !== null || (shown?.patched ?? Number.NEGATIVE_INFINITY) > order;
  }

  /** A card update left unsent because a newer one of the same message is queued or shown. */
  async markOutdated(record: OutboxRecord): Promise<void> {
    await this.settle(record, { status: 'sent', sentAt: this.clock.now(), lastError: null, outdated: true });
    await this.release(record);
  }

  /** The newest message of a delivered copy and when it was sent (the fresh one once replaced). */
  async currentCopy(key: string): Promise<{ record: OutboxRecord; messageId: string; sentAt: Date } | undefined> {
    const record = await this.findByKey(key);
    if (record?.status !== 'sent' || !record.messageId || !record.sentAt) return undefined;
    if (record.freshMessageId && record.freshSentAt)
      return { record, messageId: record.freshMessageId, sentAt: record.freshSentAt };
    return { record, messageId: record.messageId, sentAt: record.sentAt };
  }

  /** Puts a message back for later; `countAttempt` false when it was only held back by our own limiter. */
  async defer(record: OutboxRecord, until: Date, error: string | null, countAttempt: boolean): Promise<void> {
    await this.model.updateOne(
      { _id: record._id },
      {
        $set: { status: 'pending', nextAttemptAt: until, lockedUntil: null, ...(error ? { lastError: error } : {}) },
        ...(countAttempt ? {} : { $inc: { attempts: -1 } }),
      },
    );
    await this.release(record);
  }

  /** Kept as failed in the hot collection, where the 未送达 digest and /状态 read it, until housekeeping settles it. */
  async markFailed(
    record: OutboxRecord,
    error: string,
    failure?: { kind: DeliveryFailureKind; code: number | null },
  ): Promise<void> {
    await this.model.updateOne(
      { _id: record._id },
      {
        $set: {
          status: 'failed',
          lockedUntil: null,
          lastError: error,
          failedAt: this.clock.now(),
          failureKind: failure?.kind ?? 'refused',
          failureCode: failure?.code ?? null,
        },
      },
    );
    await this.release(record);
  }

  /** How many messages failed at or after `since` (the office's /状态 shows the count). */
  async failedSince(since: Date): Promise<number> {
    return this.model.countDocuments({ status: 'failed', failedAt: { $gte: since } }).exec();
  }

  /**
   * Moves out of the hot collection what no longer belongs there: failures older than
   * `keepFailedMs` (reported by then, or no longer news) and messages delivered before
   * delivered ones moved at once; purges the leases of workers that died. Idempotent, so
   * several instances may run it; returns how many records it moved.
   */
  async housekeep(keepFailedMs: number): Promise<number> {
    const now = this.clock.now();
    const rows = await this.model
      .find({
        $or: [{ status: 'sent' }, { status: 'failed', failedAt: { $lt: new Date(now.getTime() - keepFailedMs) } }],
      })
      .limit(HOUSEKEEPING_BATCH)
      .lean<OutboxRecord[]>()
      .exec();
    for (const row of rows) await this.settle(row, {});
    const ids = await this.archive.outboxMessageIds.find({}).limit(HOUSEKEEPING_BATCH).lean().exec();
    if (ids.length > 0) {
      // Written by earlier versions: kept beside the settled records from now on.
      await bulkWriteInSlices(
        this.settledRaw,
        ids.map((id) => ({
          updateOne: {
            filter: { _id: MESSAGE_PREFIX + id._id },
            update: { $setOnInsert: { key: id.key, copyOf: null } },
            upsert: true,
          },
        })),
        isDuplicateKey,
      );
      await this.archive.outboxMessageIds.deleteMany({ _id: { $in: ids.map((id) => id._id) } });
    }
    await this.archive.outboxLeases.deleteMany({ at: { $lt: new Date(now.getTime() - LEASE_PURGE_AFTER_MS) } });
    const moved = rows.length + ids.length;
    // Nothing left from earlier versions: lookups of unknown message ids stop reading there.
    if (moved === 0) this.legacyMayRemain = false;
    return moved;
  }

  /**
   * Failures between two times not yet reported to the office, oldest first. Led by the
   * status and time index, so the embedded database reads only the window.
   */
  async unreportedFailures(since: Date, before: Date, limit: number): Promise<FailedDelivery[]> {
    const rows = await this.model
      .find({ status: 'failed', failedAt: { $gte: since, $lt: before }, reportedIn: null })
      .sort({ failedAt: 1 })
      .limit(limit)
      .lean<OutboxRecord[]>()
      .exec();
    return rows.map((r) => ({
      key: r.key,
      target: targetOf(r),
      kind: r.failureKind ?? 'refused',
      code: r.failureCode ?? null,
      failedAt: r.failedAt ?? r.createdAt,
    }));
  }

  /** Marks failures as told in the digest of this local day, so each is reported once. */
  async markReported(keys: string[], day: string): Promise<void> {
    if (keys.length === 0) return;
    await this.model.updateMany({ _id: { $in: keys } }, { $set: { reportedIn: day } });
  }

  /** The `file_key` of a file uploaded before, by its content hash. */
  async uploadedFileKey(hash: string): Promise<string | undefined> {
    return (await this.uploads.findOne({ _id: hash }).lean().exec())?.fileKey;
  }

  async rememberUpload(hash: string, fileKey: string): Promise<void> {
    await this.uploads.updateOne(
      { _id: hash },
      { $setOnInsert: { fileKey, uploadedAt: this.clock.now() } },
      { upsert: true },
    );
  }

  /**
   * The key a Feishu message id the bot sent (a create or a reply) was sent under, and the
   * copy it stands for when it is a fresh card; one read for messages settled since ids were
   * kept beside their records.
   */
  async keyOfMessage(messageId: string): Promise<{ key: string; copyOf: string | null } | null> {
    const remembered = this.knownMessages.get(messageId);
    if (remembered) return remembered;
    const known = await this.settledRaw.findOne<MessageKeyDoc>({ _id: MESSAGE_PREFIX + messageId });
    if (known) {
      const found = { key: known.key, copyOf: known.copyOf };
      if (this.knownMessages.size >= KNOWN_MESSAGES) this.knownMessages.delete(this.knownMessages.keys().next().value!);
      this.knownMessages.set(messageId, found);
      return found;
    }
    if (!this.legacyMayRemain) return null;
    const record = await this.legacyByMessageId(messageId);
    return record ? { key: record.key, copyOf: record.copyOf ?? null } : null;
  }

  /** The logical message behind a Feishu message id the bot sent (creates and replies, fresh copies included). */
  async findByMessageId(messageId: string): Promise<OutboxRecord | null> {
    const known = await this.settledRaw.findOne<MessageKeyDoc>({ _id: MESSAGE_PREFIX + messageId });
    if (known) return this.findByKey(known.key);
    return this.legacyMayRemain ? this.legacyByMessageId(messageId) : null;
  }

  /** Where messages sent by earlier versions are found by id, until housekeeping has moved them. */
  private async legacyByMessageId(messageId: string): Promise<OutboxRecord | null> {
    const known = await this.archive.outboxMessageIds.findOne({ _id: messageId }).lean().exec();
    if (known) return this.findByKey(known.key);
    return this.model
      .findOne({ messageId, 'operation.op': { $in: ['send', 'reply'] } })
      .lean<OutboxRecord>()
      .exec();
  }

  /**
   * A message by key, wherever it is: delivered (settled), or still to do or failed (hot).
   * The settled record is read first: it is the truth while a delivered record is still
   * being removed from the hot collection, and the copies that updates look up are there.
   */
  async findByKey(key: string): Promise<OutboxRecord | null> {
    const settled = await this.archive.outboxSettled.findOne({ _id: key }).lean<OutboxRecord>().exec();
    return settled ?? (await this.model.findOne({ _id: key }).lean<OutboxRecord>().exec());
  }

  async listFailed(limit = 100): Promise<OutboxRecord[]> {
    return this.model.find({ status: 'failed' }).sort({ createdAt: -1 }).limit(limit).lean<OutboxRecord[]>().exec();
  }
}

function leaseId(key: string, claim: number): string {
  return `${key}#${claim}`;
}

/** Where a failed operation was going: the receiver of a send, else the chat or message it named. */
function targetOf(record: OutboxRecord): DeliveryTarget {
  const op = record.operation;
  if (op.op === 'send' || op.op === 'sendFile')
    return op.receiveIdType === 'chat_id' ? { chatId: op.receiveId } : { openId: op.receiveId };
  // A reply's rate key is its chat when the caller knew it.
  if (record.rateKey.startsWith('oc_')) return { chatId: record.rateKey };
  if ('messageId' in op) return { messageId: op.messageId };
  return { messageId: record.rateKey };
}
