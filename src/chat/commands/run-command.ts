import { AppError } from '../../errors.js';
import type { Command, CommandContext } from './command.js';

/**
 * Runs a command; a refusal the person can fix (bad input, no permission) becomes a short
 * reply, anything else propagates so the event is logged and retried.
 */
export async function runCommand(command: Command, ctx: CommandContext): Promise<void> {
  try {
    await command.run(ctx);
  } catch (error) {
    if (error instanceof AppError && error.isUserError) {
      ctx.log.info({ code: error.code, err: error }, 'command refused');
      await ctx.reply({ kind: 'text', text: error.userMessage }, 'error');
      return;
    }
    throw error;
  }
}
