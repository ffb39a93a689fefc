/**
 * Webhook throughput and latency: signed, encrypted `im.message.receive_v1` events (each a
 * `/帮助` that the bot answers with a card through the outbox) posted to the full stack,
 * against a bare Koa server that only answers 200, in one run.
 *
 *   npm run bench:webhook [-- --rate 200 --seconds 10 --concurrency 16]
 *
 * The servers run in a child process so the load generator does not share their event loop.
 * Open-loop phase: requests leave on a fixed schedule (rate/s) and latency is measured from
 * the scheduled time, so a stall is not hidden (no coordinated omission). Closed-loop phase:
 * `concurrency` requests in flight for as long as the run lasts, for the ceiling.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Koa from 'koa';
import { messageReceived, sealRequest } from '../src/feishu/fake/event-builders.js';
import { TEST_APP } from '../test/helpers/bot.js';
import { startBenchBot } from './bench-bot.js';
import { agent, ask, closedLoop, line, openLoop, type Sealed } from './load.js';

interface Ports {
  bare: number;
  bot: number;
}

// ---------- server side (child process) ----------

async function serve(): Promise<void> {
  const { bot, fake, stop } = await startBenchBot('bench_webhook');
  const bare = new Koa();
  bare.use((ctx) => {
    ctx.body = {};
  });
  const bareServer = bare.listen(0, '127.0.0.1');
  await new Promise((resolve) => bareServer.once('listening', resolve));
  const address = bareServer.address();
  const ports: Ports = { bare: typeof address === 'object' && address ? address.port : 0, bot: bot.port };
  process.send?.({ ports });
  process.on('message', (msg: { cmd?: string }) => {
    if (msg.cmd === 'stats') {
      void (async () => {
        await bot.intake.idle();
        await bot.outbox.worker.drain();
        // Done events leave the unfinished collection; their ids stay seen.
        const inbox = (await bot.models.inboxSeen.countDocuments()) - (await bot.models.inboxEvents.countDocuments());
        process.send?.({ stats: { processed: inbox, replies: fake.messages().length } });
      })();
    }
    if (msg.cmd === 'stop') {
      void (async () => {
        bareServer.close();
        await stop();
        process.exit(0);
      })();
    }
  });
}

// ---------- load side (parent process) ----------

let sequence = 0;
function nextEvent(): Sealed {
  sequence += 1;
  const event = messageReceived({
    text: '/帮助',
    senderOpenId: `ou_bench_${sequence}`,
    chatId: `oc_bench_${sequence}`,
    chatType: 'p2p',
    token: TEST_APP.verificationToken,
    appId: TEST_APP.appId,
  });
  return sealRequest(event, { encryptKey: TEST_APP.encryptKey });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);

  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const ports = await ask<Ports>(child, '', 'ports');

  // Warm both servers (JIT, connection pools, token fetch).
  await openLoop(ports.bare, '/', 50, 1, nextEvent);
  await openLoop(ports.bot, '/webhook/event', 50, 1, nextEvent);

  console.log(
    `Webhook bench: signed + encrypted events; open loop at ${rate}/s for ${seconds}s, closed loop with ${concurrency} in flight for ${seconds}s.`,
  );
  const bareOpen = await openLoop(ports.bare, '/', rate, seconds, nextEvent);
  const botOpen = await openLoop(ports.bot, '/webhook/event', rate, seconds, nextEvent);
  const bareClosed = await closedLoop(ports.bare, '/', concurrency, seconds, nextEvent);
  const botClosed = await closedLoop(ports.bot, '/webhook/event', concurrency, seconds, nextEvent);
  const stats = await ask<{ processed: number; replies: number }>(child, 'stats', 'stats');

  console.log(`\nopen loop @ ${rate}/s`);
  console.log(line('  bare Koa (200 only)', bareOpen));
  console.log(line('  full stack', botOpen));
  console.log(`  throughput ratio full/bare: ${((botOpen.perSecond / bareOpen.perSecond) * 100).toFixed(1)}%`);
  console.log(`\nclosed loop, ${concurrency} in flight (ceiling)`);
  console.log(line('  bare Koa (200 only)', bareClosed));
  console.log(line('  full stack', botClosed));
  console.log(`  throughput ratio full/bare: ${((botClosed.perSecond / bareClosed.perSecond) * 100).toFixed(1)}%`);
  console.log(`\nfull stack processed ${stats.processed} events and sent ${stats.replies} replies through the outbox.`);
  child.send({ cmd: 'stop' });
  await new Promise((resolve) => child.once('exit', resolve));
  agent.destroy();
}

if (process.argv.includes('--serve')) await serve();
else await main();
