/**
 * How long a sent card can still be changed. Feishu lets an app update a card it sent (and
 * people act on it) for 14 days only: 更新应用发送的消息卡片, "仅支持更新 14 天内发送的消息",
 * https://open.feishu.cn/document/server-docs/im-v1/message-card/patch ; 更新卡片,
 * "发送卡片后，支持在 14 天内更新卡片", https://open.feishu.cn/document/feishu-cards/update-feishu-card .
 *
 * Problems, minutes under review, 约谈 reviews and approval chains outlive that, so a copy
 * older than this is replaced by a fresh card instead of patched. One day short of Feishu's
 * limit: a patch queued just before the limit may wait behind rate limits and retries, and
 * a person should not meet a card that looks live but no longer answers.
 */
export const CARD_REFRESH_AFTER_MS = 13 * 24 * 3_600_000;

/**
 * Feishu's answer to a patch of a message older than 14 days ("230031 Message can only be
 * modified within 14 days after sending", error table of
 * https://open.feishu.cn/document/server-docs/im-v1/message-card/patch ). The copy is stale,
 * not undeliverable: a fresh card goes out instead.
 */
export const CARD_TOO_OLD_CODE = 230031;
