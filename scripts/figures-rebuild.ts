/**
 * `npm run figures:rebuild`: recomputes every read model (the figures /状态, /逾期 and /简报
 * show) from the records in the bot's database (MONGODB_URI, or the embedded one under
 * BOT_DATA_DIR, the running bot's own server when it runs), and says how many figures it had
 * to correct. The bot does the same every night (job `figures.rebuild`).
 */
import { loadConfigOrExit } from '../src/config/load-or-exit.js';
import { systemClock } from '../src/domain/clock.js';
import { createLogger } from '../src/log/logger.js';
import { correctedIn, rebuildFigures } from '../src/store/figures/rebuild-figures.js';
import { bindModels, ensureIndexes } from '../src/store/models/index.js';
import { openBotStore } from './bot-store.js';

const config = loadConfigOrExit(process.env);
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });

const store = await openBotStore(config, logger, '机器人正在运行：直接重算它正在使用的数据库中的统计。');

try {
  const models = bindModels(store.connection);
  await ensureIndexes(models);
  const started = performance.now();
  const report = await rebuildFigures(models, systemClock, config.timezone);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `问题和议定事项统计：共 ${report.problems.sections} 项，更正 ${report.problems.corrected} 项（用时 ${seconds} 秒）。`,
  );
  console.log(`考核问题清单：共 ${report.due.sections} 项，更正 ${report.due.corrected} 项。`);
  console.log(`会议统计：共 ${report.meetings.sections} 个月，更正 ${report.meetings.corrected} 个月。`);
  console.log(`纪要和文件印发统计：共 ${report.documents.sections} 个月，更正 ${report.documents.corrected} 项。`);
  console.log(`巡河履职统计：更正 ${report.patrols.corrected} 项。`);
  console.log(
    correctedIn(report) === 0
      ? '所有统计与原始记录一致。'
      : '已按原始记录更正上述统计；如经常出现更正，请把日志发给维护人员。',
  );
} finally {
  await store.close();
}
