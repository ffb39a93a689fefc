/**
 * The error catalogue. Each error has a stable code for logs and tells whether it is the
 * user's to fix (then it carries a short Chinese message for the person) or ours.
 */

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'payload_too_large'
  | 'user_input'
  | 'forbidden'
  | 'stale'
  | 'not_found'
  | 'feishu_api'
  | 'feishu_network';

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** True when the person who acted can fix it; false means a fault on our side or Feishu's. */
  abstract readonly isUserError: boolean;
  /** What the person is told, in Chinese, one line. */
  abstract readonly userMessage: string;
}

/** A request that fails verification or parsing at the transport; answered with an HTTP status. */
export class TransportError extends AppError {
  readonly isUserError = false;
  readonly userMessage = '请求无效';

  constructor(
    readonly code: 'bad_request' | 'unauthorized' | 'payload_too_large',
    readonly status: 400 | 401 | 413,
    /** Why, for the log; never echoed with secrets. */
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'TransportError';
  }
}

/** Input that a person typed or submitted is wrong; they are told what to fix. */
export class UserInputError extends AppError {
  readonly code = 'user_input';
  readonly isUserError = true;

  constructor(
    readonly userMessage: string,
    readonly detail?: unknown,
  ) {
    super(userMessage);
    this.name = 'UserInputError';
  }
}

/** The person may not do this; nothing changes. */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  readonly isUserError = true;

  constructor(readonly userMessage: string = '抱歉，您没有权限进行此操作。') {
    super(userMessage);
    this.name = 'ForbiddenError';
  }
}

/** The card or record moved on since the person looked at it. */
export class StaleError extends AppError {
  readonly code = 'stale';
  readonly isUserError = true;

  constructor(readonly userMessage: string = '该事项已被处理，卡片已刷新。') {
    super(userMessage);
    this.name = 'StaleError';
  }
}

/** Feishu answered, but said no (HTTP error or a 200 with code ≠ 0). */
export class FeishuApiError extends AppError {
  readonly code = 'feishu_api';
  readonly isUserError = false;
  readonly userMessage = '飞书接口暂时不可用，请稍后再试。';

  constructor(
    readonly httpStatus: number,
    readonly feishuCode: number | undefined,
    readonly feishuMsg: string,
    /** Seconds to wait before retrying, from x-ogw-ratelimit-reset, when rate limited. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`Feishu API error: HTTP ${httpStatus}, code ${feishuCode ?? '-'}: ${feishuMsg}`);
    this.name = 'FeishuApiError';
  }

  get isRateLimited(): boolean {
    return (
      this.httpStatus === 429 ||
      this.feishuCode === FEISHU_RATE_LIMIT_CODE ||
      this.feishuCode === FEISHU_FREQUENCY_LIMIT_CODE
    );
  }

  /** Worth retrying: rate limits and server-side faults. A plain "no" is final. */
  get isRetryable(): boolean {
    return this.isRateLimited || this.httpStatus >= 500;
  }
}

/** The request never got an answer from Feishu (DNS, connection reset, timeout). */
export class FeishuNetworkError extends AppError {
  readonly code = 'feishu_network';
  readonly isUserError = false;
  readonly userMessage = '网络异常，请稍后再试。';

  constructor(readonly detail: string) {
    super(`Feishu unreachable: ${detail}`);
    this.name = 'FeishuNetworkError';
  }
}

export const FEISHU_RATE_LIMIT_CODE = 99991400;

/**
 * The per-chat / per-user limit (5 messages a second to one person or one group, shared by
 * the group's bots), answered as HTTP 400 with this code rather than a 429; it passes like
 * any rate limit, so it is retried with backoff. 发送消息 error table:
 * https://open.feishu.cn/document/server-docs/im-v1/message/create ("230020 This operation
 * triggers the frequency limit"); the same code on 更新应用发送的消息卡片 and 回复消息.
 */
export const FEISHU_FREQUENCY_LIMIT_CODE = 230020;
