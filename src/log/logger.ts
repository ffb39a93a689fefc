import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths that may carry secrets anywhere in a log object. Feishu tokens, the app secret
 * and encrypted payloads must never reach the log, whatever object they ride in on.
 */
const REDACT_PATHS = [
  'appSecret',
  'encryptKey',
  'verificationToken',
  'token',
  'tenant_access_token',
  'app_secret',
  'authorization',
  'headers.authorization',
  'headers["x-lark-signature"]',
  '*.appSecret',
  '*.app_secret',
  '*.encryptKey',
  '*.verificationToken',
  '*.token',
  '*.tenant_access_token',
  '*.authorization',
  'encrypt',
  '*.encrypt',
  'config.feishu.appSecret',
  'config.feishu.encryptKey',
  'config.feishu.verificationToken',
];

export interface LoggerOptions {
  /** A pino level name: fatal, error, warn, info, debug, trace or silent. */
  level?: string;
  /** Where lines go; stdout when omitted. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** The process-wide structured JSON logger. Child loggers carry per-event context. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'hehu-assistant' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** A logger that drops everything; for benches and tests that do not read logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
