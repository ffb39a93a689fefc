import * as lark from '@larksuiteoapi/node-sdk';
import { TransportError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { EventIntake } from '../event-intake.js';
import { classifyPayload } from './open-request.js';

/**
 * The long-connection transport, for deployments with no public URL (government intranets
 * often have none). The SDK's WSClient delivers each event as parsed JSON to whatever it is
 * given as `eventDispatcher`; we give it a receiver that feeds the same intake as the
 * webhook, with the same de-duplication. Card callbacks arrive the same way.
 */
export class LongConnection {
  private readonly client: lark.WSClient;

  constructor(
    private readonly options: {
      appId: string;
      appSecret: string;
      domain: string;
      logger: Logger;
      sdkLogger: SdkLogger;
    },
    private readonly intake: EventIntake,
  ) {
    this.client = new lark.WSClient({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: options.domain,
      logger: options.sdkLogger,
      loggerLevel: lark.LoggerLevel.warn,
    });
  }

  async start(): Promise<void> {
    // The WSClient only calls invoke(); the SDK's own dispatcher would skip de-duplication.
    const receiver = longConnectionReceiver(this.intake, this.options.logger);
    await this.client.start({ eventDispatcher: receiver as unknown as lark.EventDispatcher });
  }

  stop(): void {
    this.client.close({ force: true });
  }
}

/**
 * What the WSClient calls with each event frame, already parsed from JSON. Frames need no
 * signature or token check: the connection itself is authenticated with the app secret.
 */
export function longConnectionReceiver(
  intake: EventIntake,
  logger: Logger,
): { invoke(data: unknown): Promise<unknown> } {
  return {
    invoke: async (data: unknown): Promise<unknown> => {
      try {
        const opened = classifyPayload(data, undefined);
        if (opened.kind === 'challenge') return { challenge: opened.challenge };
        return await intake.receive(opened.event);
      } catch (error) {
        if (error instanceof TransportError) {
          logger.warn({ reason: error.reason }, 'long-connection frame rejected');
          return {};
        }
        throw error;
      }
    },
  };
}

/** The SDK's logger shape; main adapts pino to it. */
export interface SdkLogger {
  error: (...msg: unknown[]) => void;
  warn: (...msg: unknown[]) => void;
  info: (...msg: unknown[]) => void;
  debug: (...msg: unknown[]) => void;
  trace: (...msg: unknown[]) => void;
}
