import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log/logger.js';

export interface CapturedLogs {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  /** The raw text, to check that no secret ever reached the log. */
  text(): string;
  find(msg: string | RegExp): Array<Record<string, unknown>>;
}

/** A real pino logger whose JSON lines are kept in memory, so tests can read what was logged. */
export function captureLogs(level = 'debug'): CapturedLogs {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString('utf8');
      raw.push(text);
      for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const logger = createLogger({ level, destination });
  return {
    logger,
    lines,
    text: () => raw.join(''),
    find: (msg) => lines.filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg)))),
  };
}

/** An SDK logger that says nothing: for tests that build their own lark.Client. */
export const quietSdkLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
