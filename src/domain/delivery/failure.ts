/**
 * Why a message could not be delivered, in terms the office can act on. The Feishu adapter
 * sorts each final refusal into one of these; the undelivered digest tells people what to do.
 */
export type DeliveryFailureKind =
  /** The bot is not a member of the group chat. */
  | 'botNotInChat'
  /** The person is outside the app's availability range (可用范围). */
  | 'outsideAvailability'
  /** The person's account no longer answers (resigned, or an id that no longer exists). */
  | 'accountGone'
  /** The message itself was refused as too large. */
  | 'tooLarge'
  /** Feishu could not be reached or kept limiting us, every retry included. */
  | 'unreachable'
  /** Any other refusal; the code says which. */
  | 'refused';

/** Where a failed message was going. */
export type DeliveryTarget = { chatId: string } | { openId: string } | { messageId: string };

/** One message that finally failed, as the digest reads it. */
export interface FailedDelivery {
  key: string;
  target: DeliveryTarget;
  kind: DeliveryFailureKind;
  /** Feishu's code when it answered; absent for network faults. */
  code: number | null;
  failedAt: Date;
}
