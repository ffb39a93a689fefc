/**
 * Card-callback throughput and latency: signed, encrypted `card.action.trigger` callbacks,
 * each a township tapping 接收 on a different assigned problem of the example district, so
 * every one verifies the signature, loads the problem, runs the lifecycle transition, claims
 * and saves the change, re-renders the card and answers with it.
 *
 *   npm run bench:card-action [-- --rate 200 --seconds 5 --concurrency 16]
 *
 * Prints the open loop at `rate`/s (latency from the scheduled send time), the closed-loop
 * ceiling, and the same action called in-process without HTTP, to show where time goes; then
 * the database commands per tap of the open loop, by operation and collection, and one tap's
 * commands in order, and the CPU time per tap of the bot, FerretDB and PostgreSQL.
 * With BENCH_CPU_PROF=<dir> the bot's process writes a V8 CPU profile there.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cardAction, sealRequest } from '../src/feishu/fake/event-builders.js';
import { TEST_APP } from '../test/helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../test/helpers/district.js';
import { startBenchBot } from './bench-bot.js';
import { cpuLine, cpuUse } from './cpu-use.js';
import { attachTrace, traceLines } from './db-trace.js';
import { agent, ask, closedLoop, line, openLoop, percentile, post, type Sealed } from './load.js';
import { seedAssignedProblems } from './seed-problems.js';

const WARM_UP = 100;
const DIRECT = 30;

// ---------- server side (child process) ----------

async function serve(problems: number): Promise<void> {
  const { bot, fake, stop } = await startBenchBot('bench_card_action', { traced: true });
  await bot.models.issues.deleteMany({});
  await bot.models.issueHistory.deleteMany({});
  await importExampleDistrict(fake, bot.models, { now: () => new Date() });
  await seedAssignedProblems(bot.models, problems, 'bench', 4);
  const trace = attachTrace(bot.connection.getClient());
  let recording: ReturnType<typeof trace.recordOne> | undefined;
  let cpuFrom = cpuUse();
  process.send?.({ ready: true, port: bot.port });

  process.on('message', (msg: { cmd?: string; taps?: number }) => {
    if (msg.cmd === 'traceReset') {
      trace.reset();
      cpuFrom = cpuUse();
      process.send?.({ traceReset: true });
    }
    if (msg.cmd === 'trace')
      process.send?.({ trace: [...traceLines(trace, msg.taps ?? 0), cpuLine(cpuFrom, cpuUse(), msg.taps ?? 0)] });
    if (msg.cmd === 'recordOne') {
      recording = trace.recordOne();
      process.send?.({ recordOne: true });
    }
    if (msg.cmd === 'recorded') process.send?.({ recorded: recording?.stop() ?? [] });
    if (msg.cmd === 'direct') {
      void (async () => {
        const from = problems - DIRECT;
        // The same action without HTTP, signature or crypto: load, transition, save, render.
        const latencies: number[] = [];
        for (let i = 0; i < DIRECT; i++) {
          const start = performance.now();
          await bot.issues.act(exampleOpenId('wu'), `bench-${from + i}`, 2, { type: 'accept' }, `direct-${i}`);
          latencies.push(performance.now() - start);
        }
        process.send?.({ direct: latencies });
      })();
    }
    if (msg.cmd === 'stats') {
      void (async () => {
        await bot.outbox.worker.drain();
        const accepted = await bot.models.issues.countDocuments({ state: 'rectifying' });
        const claims = await bot.models.issueHistory.countDocuments({ action: 'accept' });
        process.send?.({ stats: { accepted, claims } });
      })();
    }
    if (msg.cmd === 'stop') {
      void (async () => {
        await stop();
        process.exit(0);
      })();
    }
  });
}

// ---------- load side (parent process) ----------

let next = 0;
function nextTap(): Sealed {
  const id = `bench-${next++}`;
  const event = cardAction({
    operatorOpenId: exampleOpenId('wu'),
    value: { a: 'issue.act', id, v: 2, t: 'accept' },
    messageId: `om_bench_${id}`,
    chatId: 'oc_example_dadu',
    verificationToken: TEST_APP.verificationToken,
    appId: TEST_APP.appId,
  });
  return sealRequest(event, { encryptKey: TEST_APP.encryptKey });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  // Enough distinct problems for every tap; the closed loop gets room for up to 150 taps/s.
  const problems = WARM_UP + rate * seconds + DIRECT + Math.max(2000, 150 * seconds);

  const child = fork(fileURLToPath(import.meta.url), ['--serve', String(problems)], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    stdio: 'inherit',
  });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    child.on('message', (m: { ready?: boolean; port?: number }) => m.ready && resolve({ port: m.port ?? 0 })),
  );

  await openLoop(port, '/webhook/card', 50, WARM_UP / 50, nextTap);
  // Let the warm-up's background work (card patches through the outbox) settle before counting.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await ask(child, 'traceReset', 'traceReset');
  console.log(
    `Card-action bench: 接收 taps on ${problems} assigned problems; open loop at ${rate}/s for ${seconds}s, closed loop with ${concurrency} in flight.`,
  );
  const open = await openLoop(port, '/webhook/card', rate, seconds, nextTap);
  console.error(`open loop done: ${open.ok} ok, ${open.errors} errors`);
  // Commands the open loop's taps caused, the outbox's card patches included (drained first).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const perTap = await askWith<string[]>(child, { cmd: 'trace', taps: open.ok }, 'trace');
  // One tap alone, its commands in order.
  await ask(child, 'recordOne', 'recordOne');
  const oneStart = performance.now();
  await post(port, '/webhook/card', nextTap());
  const oneMs = performance.now() - oneStart;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const one = await ask<Array<{ key: string; ms: number }>>(child, 'recorded', 'recorded');
  // The in-process taps use the last DIRECT problems, so the closed loop stops short of them.
  const closed = await closedLoop(port, '/webhook/card', concurrency, seconds, nextTap);
  if (next > problems - DIRECT) throw new Error(`the closed loop used ${next} problems; seed more`);
  console.error(`closed loop done: ${closed.ok} ok, ${closed.errors} errors`);
  const direct = (await ask<number[]>(child, 'direct', 'direct')).sort((a, b) => a - b);
  const stats = await ask<{ accepted: number; claims: number }>(child, 'stats', 'stats');

  console.log(`\nopen loop @ ${rate}/s (verify, decrypt, load, transition, claim + save, re-render, answer)`);
  console.log(line('  card callbacks', open));
  console.log(`\nclosed loop, ${concurrency} in flight (ceiling)`);
  console.log(line('  card callbacks', closed));
  console.log(`\nin-process IssueService.act, one at a time (no HTTP, signature or crypto), ${DIRECT} taps`);
  console.log(
    `  p50 ${percentile(direct, 50).toFixed(1)} ms  p99 ${percentile(direct, 99).toFixed(1)} ms  max ${(direct.at(-1) ?? NaN).toFixed(1)} ms`,
  );
  console.log(`\ndatabase commands per tap in the open loop (answer and background card patch together)`);
  for (const text of perTap) console.log(`  ${text}`);
  console.log(
    `\none tap alone: ${oneMs.toFixed(1)} ms end to end; its database commands in order (and the patch after it)`,
  );
  for (const [i, c] of one.entries())
    console.log(`  ${String(i + 1).padStart(2)}. ${c.ms.toFixed(1).padStart(6)} ms  ${c.key}`);
  console.log(
    `\n${stats.accepted} problems moved to 整改中 with ${stats.claims} history claims (one per accepted tap).`,
  );
  child.send({ cmd: 'stop' });
  await new Promise((resolve) => child.once('exit', resolve));
  agent.destroy();
}

function askWith<T>(child: ReturnType<typeof fork>, msg: Record<string, unknown>, key: string): Promise<T> {
  const answer = ask<T>(child, '', key);
  child.send(msg);
  return answer;
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serve(Number(process.argv[serveAt + 1]));
else await main();
