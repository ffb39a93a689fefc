import { ConfigError, loadConfig, type Config } from './config/env.js';
import { createLogger } from './log/logger.js';
import { startBot, type RunningBot } from './main/start-bot.js';
import { startLocalFeishu, writeLocalSession } from './local/local-feishu.js';
import type { FakeFeishu } from './feishu/fake/fake-feishu.js';

/** `npm start`: read the environment, start the bot, stop cleanly on SIGTERM / SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Local mode prints the bot's messages on this console; keep routine log lines out of their way.
  const localMode = !config.feishu.credentials;
  const level = localMode && !process.env.LOG_LEVEL ? 'warn' : config.logLevel;
  const logger = createLogger({ level });

  let fake: FakeFeishu | undefined;
  let bot: RunningBot;
  if (config.feishu.credentials) {
    bot = await startBot({ config, logger });
  } else {
    const local = await startLocalFeishu(config.dataDir, logger);
    fake = local.fake;
    bot = await startBot({
      config: { ...config, feishu: { ...config.feishu, domain: local.fake.url, transport: 'webhook' } },
      credentials: local.credentials,
      logger,
    });
    await writeLocalSession(config.dataDir, { ...local.session, botUrl: bot.url });
    process.stdout.write(
      [
        '',
        '河湖长助手 正以本地模式运行（未配置飞书凭证，使用内置的模拟飞书）。',
        `Local mode: webhook at ${bot.url}/webhook/event, fake Feishu at ${local.fake.url}.`,
        '在另一个终端中以任意身份与机器人对话，例如：',
        '  npm run chat -- --as ou_example_zhang "/帮助"',
        '',
      ].join('\n'),
    );
  }

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    void bot
      .stop()
      .then(() => fake?.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`河湖长助手 failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
