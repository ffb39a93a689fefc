import type { Clock } from '../domain/clock.js';
import type { FakeMessage } from '../feishu/fake/fake-feishu.js';

/** When a message was created and last changed, in the order the fake saw them. */
interface Change {
  /** The change cursor value of its creation: orders messages and counts unread ones. */
  createdSeq: number;
  /** The cursor value of its latest change (creation, patch, answered tap, urgent). */
  seq: number;
  updatedAt: Date;
}

/** What the log keeps across a restart (local mode), as JSON. */
export interface MessageLogState {
  seq: number;
  changes: Array<[messageId: string, { createdSeq: number; seq: number; updatedAt: string }]>;
  readUpTo: Array<[key: string, seq: number]>;
}

/**
 * A change cursor over the fake's messages for the trial page: every message created or
 * changed gets the next number, so the page asks for what changed since its last look and a
 * patched card comes back with its own id. Also keeps who has read which chat up to where.
 */
export class MessageLog {
  private seq = 0;
  private readonly changes = new Map<string, Change>();
  private readonly readUpTo = new Map<string, number>();

  /** `onChange` hears every change, so local mode can save the log with the chats. */
  constructor(
    private readonly clock: Clock,
    private readonly onChange: () => void = () => {},
  ) {}

  /** Called for every message the fake creates or changes. */
  record(message: FakeMessage): void {
    this.seq += 1;
    const earlier = this.changes.get(message.messageId);
    this.changes.set(message.messageId, {
      createdSeq: earlier?.createdSeq ?? this.seq,
      seq: this.seq,
      updatedAt: this.clock.now(),
    });
    this.onChange();
  }

  state(): MessageLogState {
    return {
      seq: this.seq,
      changes: [...this.changes].map(([id, c]) => [id, { ...c, updatedAt: c.updatedAt.toISOString() }]),
      readUpTo: [...this.readUpTo],
    };
  }

  /** Puts back the state an earlier run saved: cursors, message order and read marks go on from there. */
  restore(state: MessageLogState): void {
    this.seq = Math.max(this.seq, state.seq);
    for (const [id, c] of state.changes) this.changes.set(id, { ...c, updatedAt: new Date(c.updatedAt) });
    for (const [key, seq] of state.readUpTo) this.readUpTo.set(key, seq);
  }

  /** The cursor to ask from next time. */
  get next(): number {
    return this.seq + 1;
  }

  change(messageId: string): Change | undefined {
    return this.changes.get(messageId);
  }

  /** The chat's messages changed at or after `since`, oldest first. */
  changedSince(messages: FakeMessage[], since: number): Array<FakeMessage & { change: Change }> {
    return messages
      .flatMap((m) => {
        const change = this.changes.get(m.messageId);
        return change && change.seq >= since ? [{ ...m, change }] : [];
      })
      .sort((a, b) => a.change.createdSeq - b.change.createdSeq);
  }

  markRead(openId: string, chatId: string): void {
    this.readUpTo.set(`${openId}\u0000${chatId}`, this.seq);
    this.onChange();
  }

  /** Messages in the chat that others sent after the person last read it. */
  unread(openId: string, chatId: string, messages: FakeMessage[]): number {
    const mark = this.readUpTo.get(`${openId}\u0000${chatId}`) ?? 0;
    return messages.filter((m) => m.senderOpenId !== openId && (this.changes.get(m.messageId)?.createdSeq ?? 0) > mark)
      .length;
  }
}
