import { type Config, ConfigError, loadConfig } from './env.js';

/**
 * For the entry points people run (`npm start`, `org:import`, `feishu:check`): a wrong
 * environment ends the process with the list of what to fix, never a stack trace.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
