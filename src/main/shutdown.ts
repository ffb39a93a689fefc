import type { Logger } from '../log/logger.js';

/** What to close when the bot stops, closed in the reverse order it was opened. */
export class Shutdown {
  private readonly steps: Array<() => Promise<void> | void> = [];

  constructor(private readonly logger: Logger) {}

  push(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        this.logger.error({ err: error }, 'error during shutdown');
      }
    }
  }
}
