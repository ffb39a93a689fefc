import { loadConfigOrExit } from './config/load-or-exit.js';
import { type LocalMode, startLocalMode } from './local/local-mode.js';
import { createLogger } from './log/logger.js';
import { type RunningBot, startBot } from './main/start-bot.js';
import { isStoreRefusal } from './store/provision/store-refusal.js';

/** `npm start`: read the environment, start the bot, stop cleanly on SIGTERM / SIGINT. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  // Local mode prints the bot's messages on this console; keep routine log lines out of their way.
  const localMode = !config.feishu.credentials;
  const level = localMode && !process.env.LOG_LEVEL ? 'warn' : config.logLevel;
  const logger = createLogger({ level });

  let local: LocalMode | undefined;
  let bot: RunningBot;
  if (config.feishu.credentials) {
    bot = await startBot({ config, logger });
  } else {
    local = await startLocalMode({ config, logger, console: true, importExample: true });
    bot = local.bot;
    const page = `http://localhost:${bot.port}/`;
    const lines = [
      '',
      '河湖长助手 正以本地模式运行（未配置飞书凭证，使用内置的模拟飞书）。',
      `本地体验页面：${page}  （选择身份，像在飞书里一样对话、点卡片、拨时钟）`,
      `Local mode: page at ${page}, webhook at ${bot.url}/webhook/event, fake Feishu at ${local.fake.url}.`,
      `机器人的时间：${local.clock.now().toLocaleString('zh-CN', { timeZone: config.timezone })}（${config.timezone}，可在页面上向后拨）；机器人发出的文件保存在 ${config.dataDir}/files/。`,
    ];
    if (local.exampleImported) lines.push(`已导入示例名录 examples/jinkouhe.yaml：${local.exampleImported.title}`);
    lines.push(
      '也可以在另一个终端中以任意身份与机器人对话（--as 可以是姓名、名录中的人员 ID 或 open_id），例如：',
      '  npm run chat -- --as 钱某某 "/帮助"',
      '',
    );
    process.stdout.write(lines.join('\n'));
  }

  // One Ctrl-C or systemd stop often arrives twice (to the process group, and relayed by tsx),
  // so a second signal must not cut the drain short; a third one means "now".
  let signals = 0;
  const shutdown = (signal: string) => {
    signals++;
    if (signals === 2) {
      logger.warn({ signal }, 'already shutting down; send the signal once more to exit without finishing');
      return;
    }
    if (signals > 2) {
      logger.warn({ signal }, 'third signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    void bot
      .stop()
      .then(() => local?.stop())
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
  if (isStoreRefusal(error)) {
    // Not a crash: the operator gets the reason and the next step, without a stack trace.
    process.stderr.write(`河湖长助手未启动 / not started:\n${error.zh}\n${error.en}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `河湖长助手 failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
