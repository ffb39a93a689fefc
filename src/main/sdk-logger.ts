import type { Logger } from '../log/logger.js';
import type { SdkLogger } from '../feishu/transport/ws.js';

/** Sends the SDK's own log lines through pino, so they are JSON and redacted like ours. */
export function sdkLogger(logger: Logger): SdkLogger {
  const log = logger.child({ component: 'lark-sdk' });
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    error: (...msg) => log.error(text(msg)),
    warn: (...msg) => log.warn(text(msg)),
    info: (...msg) => log.info(text(msg)),
    debug: (...msg) => log.debug(text(msg)),
    trace: (...msg) => log.trace(text(msg)),
  };
}
