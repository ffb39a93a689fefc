import type { DeliveryFailureKind, DeliveryTarget, FailedDelivery } from '../../domain/delivery/failure.js';
import { isUndeliveredDigestKey, messageKey } from '../../domain/delivery/message-keys.js';
import type { Directory } from '../../domain/directory/directory.js';
import { monthDay } from '../../domain/time/format.js';
import { WorkCalendar } from '../../domain/time/work-calendar.js';
import { formatLocalDate, fromLocal, toLocal } from '../../domain/time/zoned.js';
import type { Logger } from '../../log/logger.js';
import { notify, officeDestinations } from '../destinations.js';
import type { CardJson, Messenger } from '../ports.js';

/** Failed messages as the outbox keeps them: read by time, each marked once reported. */
export interface FailedDeliveries {
  unreportedFailures(since: Date, before: Date, limit: number): Promise<FailedDelivery[]>;
  markReported(keys: string[], day: string): Promise<void>;
}

/** One line of the card: a person or chat that could not be reached, and why. */
export interface UndeliveredRow {
  target: string;
  kind: DeliveryFailureKind;
  code: number | null;
  /** How many messages to it failed for this reason. */
  times: number;
}

export interface UndeliveredView {
  date: string;
  /** Failed messages in all. */
  total: number;
  rows: UndeliveredRow[];
  /** Targets left off the card. */
  more: number;
}

export interface UndeliveredDigestDeps {
  failures: FailedDeliveries;
  directory: { loadDirectory(): Promise<Directory | undefined> };
  messenger: Messenger;
  render: (view: UndeliveredView) => CardJson;
  timeZone: string;
  logger: Logger;
}

/** How far back a digest looks: failures older than this were reported, or are no longer news. */
const LOOKBACK_MS = 8 * 24 * 3_600_000;
/** Failures read per digest; more wait for the next day's. */
const READ_LIMIT = 1_000;
/** Targets named on the card; the rest are counted (a card holds at most 200 components). */
const ROWS_SHOWN = 30;

/**
 * 未送达: people never hear of a message Feishu refused (the bot not in a group, a person
 * outside the app's availability or gone from the tenant). Once a working day, from the
 * reminder hour, the River Chief Office gets one card listing whom the bot could not reach,
 * why and what to do — only when there is something new, each failure reported once.
 */
export class UndeliveredDigest {
  constructor(private readonly deps: UndeliveredDigestDeps) {}

  /** The job's body. Returns how many failures the card reported (0 when none was sent). */
  async sendIfDue(now: Date): Promise<number> {
    const directory = await this.deps.directory.loadDirectory();
    if (!directory) return 0;
    const tz = this.deps.timeZone;
    const today = toLocal(now, tz);
    const calendar = new WorkCalendar({
      holidays: directory.calendar.holidays,
      makeUpWorkdays: directory.calendar.makeUpWorkdays,
    });
    if (!calendar.isWorkingDay(today) || today.hour < directory.reminders.hour) return 0;
    // Everything that failed before today's reminder hour: a rerun today reads the same set,
    // and later failures wait for tomorrow's card.
    const cutoff = fromLocal(
      { year: today.year, month: today.month, day: today.day, hour: directory.reminders.hour },
      tz,
    );
    const failures = await this.deps.failures.unreportedFailures(
      new Date(cutoff.getTime() - LOOKBACK_MS),
      cutoff,
      READ_LIMIT,
    );
    if (failures.length === 0) return 0;
    const day = formatLocalDate(today);
    // The digest's own failures (the office chat unreachable) are not reported to that chat again.
    const news = failures.filter((f) => !isUndeliveredDigestKey(f.key));
    if (news.length > 0) {
      const rows = group(news).map((g) => ({ ...g, target: targetName(directory, g.target) }));
      const view: UndeliveredView = {
        date: monthDay(today),
        total: news.length,
        rows: rows.slice(0, ROWS_SHOWN),
        more: Math.max(rows.length - ROWS_SHOWN, 0),
      };
      // Queued before the failures are marked: a crash in between resends nothing (same key) and loses nothing.
      await notify(this.deps.messenger, officeDestinations(directory), messageKey('undeliveredDigest', { day }), {
        kind: 'card',
        card: this.deps.render(view),
      });
      this.deps.logger.info({ failures: news.length, targets: rows.length }, 'undelivered digest sent');
    }
    await this.deps.failures.markReported(
      failures.map((f) => f.key),
      day,
    );
    return news.length;
  }
}

function targetId(target: DeliveryTarget): string {
  return 'chatId' in target ? target.chatId : 'openId' in target ? target.openId : target.messageId;
}

/** Repeated failures to one target for one reason are one row, the most frequent first. */
function group(failures: FailedDelivery[]): Array<Omit<UndeliveredRow, 'target'> & { target: DeliveryTarget }> {
  const rows = new Map<string, Omit<UndeliveredRow, 'target'> & { target: DeliveryTarget }>();
  for (const f of failures) {
    const id = `${targetId(f.target)}|${f.kind}|${f.code ?? ''}`;
    const row = rows.get(id);
    if (row) row.times += 1;
    else rows.set(id, { target: f.target, kind: f.kind, code: f.code, times: 1 });
  }
  return [...rows.values()].sort((a, b) => b.times - a.times);
}

/** The name people know a target by: the unit or water body whose chat it is, the person. */
function targetName(directory: Directory, target: DeliveryTarget): string {
  if ('chatId' in target) {
    const unit = directory.units.find((u) => u.chatId === target.chatId);
    if (unit) return `${unit.name}的工作群`;
    const water = directory.waterBodies.find((w) => w.chatId === target.chatId);
    if (water) return `${water.name}的河长群`;
    return `群聊 ${target.chatId}（不在组织名录中）`;
  }
  if ('openId' in target) {
    const person = directory.people.find((p) => p.openId === target.openId);
    return person ? `${person.name}（单聊）` : `用户 ${target.openId}（不在组织名录中）`;
  }
  return `对消息 ${target.messageId} 的回复或更新`;
}
