/**
 * Sustained mixed traffic, as a district's busy hour looks to the bot: signed, encrypted
 * events at a steady rate for minutes — commands (/帮助, /状态), replies in threads, and
 * 接收 taps on assigned problems — against a whole bot on the embedded database and the fake
 * Feishu. It shows whether background processing keeps up: the backlog (events received but
 * not yet done) at the end of the load and 30 s after, and how old the oldest waiting event got.
 *
 *   npm run bench:load [-- --rate 50 --seconds 120]
 *
 * Acks are measured from each request's scheduled send time (open loop, no coordinated
 * omission). The bot runs in a child process so the generator does not share its event loop.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cardAction, messageReceived, sealRequest } from '../src/feishu/fake/event-builders.js';
import { randomHex } from '../src/feishu/fake/fake-ids.js';
import { TEST_APP } from '../test/helpers/bot.js';
import { exampleOpenId, importExampleDistrict } from '../test/helpers/district.js';
import { startBenchBot } from './bench-bot.js';
import { cpuLine, cpuUse } from './cpu-use.js';
import { attachTrace, traceLines } from './db-trace.js';
import { agent, ask, line, percentile, post, type Sealed } from './load.js';
import { seedAssignedProblems } from './seed-problems.js';

const PEOPLE = ['zhang', 'li', 'wang', 'zhao', 'zhou', 'wu', 'zheng', 'feng', 'chen', 'chu'];
const AFTER_SECONDS = 30;

interface Stats {
  /** Received and not yet done (unfinished inbox events). */
  backlog: number;
  /** Age of the oldest unfinished event, ms. */
  oldestMs: number;
  rssMb: number;
  sent: number;
}

// ---------- server side (child process) ----------

async function serve(problems: number): Promise<void> {
  const { bot, fake, stop } = await startBenchBot('bench_load', { traced: !!process.env.BENCH_TRACE });
  await bot.models.issues.deleteMany({});
  // BENCH_TRACE=1: count database commands and their time per collection, to see where time goes.
  const trace = process.env.BENCH_TRACE ? attachTrace(bot.connection.getClient()) : undefined;
  await importExampleDistrict(fake, bot.models, { now: () => new Date() });
  await seedAssignedProblems(bot.models, problems, 'load', 5);
  process.send?.({ ready: true, port: bot.port });
  let cpuFrom = cpuUse();

  process.on('message', (msg: { cmd?: string; events?: number }) => {
    if (msg.cmd === 'stats') {
      void (async () => {
        const oldest = await bot.models.inboxEvents.findOne({}, { receivedAt: 1 }).sort({ receivedAt: 1 }).lean();
        const stats: Stats = {
          backlog: await bot.models.inboxEvents.countDocuments(),
          oldestMs: oldest ? Date.now() - oldest.receivedAt.getTime() : 0,
          rssMb: process.memoryUsage().rss / 2 ** 20,
          sent: fake.messages().length,
        };
        process.send?.({ stats });
      })();
    }
    // Setup (import, seeded problems) is not part of the load: count from its first event.
    if (msg.cmd === 'traceReset') {
      trace?.reset();
      cpuFrom = cpuUse();
    }
    if (msg.cmd === 'stop') {
      if (trace) for (const text of traceLines(trace, msg.events ?? 0)) console.error(text);
      // From the first event to the end of the wait after the load: every event's processing.
      console.error(cpuLine(cpuFrom, cpuUse(), msg.events ?? 0));
      void (async () => {
        await stop();
        process.exit(0);
      })();
    }
  });
}

// ---------- load side (parent process) ----------

/** `--only commands|replies|taps` runs one part of the mix, to see where time goes. */
let ONLY: string | undefined;
/** `--status-every N`: one command in N is /状态 (the rest /帮助). */
let STATUS_EVERY = 10;
let sequence = 0;
let taps = 0;
/** One event of the mix: 4 in 10 commands, 3 thread replies, 3 taps; taps go to the card URL. */
function nextEvent(): { path: string; sealed: Sealed } {
  sequence += 1;
  const who = PEOPLE[sequence % PEOPLE.length] ?? 'zhang';
  const kind =
    ONLY === 'commands' ? sequence % 4 : ONLY === 'replies' ? 4 + (sequence % 3) : ONLY === 'taps' ? 7 : sequence % 10;
  let event: unknown;
  let path = '/webhook/event';
  if (kind < 4) {
    // /状态 reads every problem and patrol of the viewer's scope: one in STATUS_EVERY commands.
    const text = sequence % (10 * STATUS_EVERY) === 1 ? '/状态' : '/帮助';
    event = messageReceived({
      text,
      senderOpenId: exampleOpenId(who),
      chatId: `oc_p2p_${who}`,
      chatType: 'p2p',
      token: TEST_APP.verificationToken,
      appId: TEST_APP.appId,
    });
  } else if (kind < 7) {
    // A reply in a thread the bot started: it reads the thread's root to see what it is about.
    event = messageReceived({
      text: '已安排人员清理，预计明天完成',
      senderOpenId: exampleOpenId(who),
      chatId: 'oc_example_dadu',
      chatType: 'group',
      rootId: `om_${randomHex(16)}`,
      parentId: `om_${randomHex(16)}`,
      token: TEST_APP.verificationToken,
      appId: TEST_APP.appId,
    });
  } else {
    const id = `load-${taps++}`;
    event = cardAction({
      operatorOpenId: exampleOpenId('wu'),
      value: { a: 'issue.act', id, v: 2, t: 'accept' },
      messageId: `om_load_${randomHex(8)}`,
      chatId: 'oc_example_dadu',
      verificationToken: TEST_APP.verificationToken,
      appId: TEST_APP.appId,
    });
    path = '/webhook/card';
  }
  return { path, sealed: sealRequest(event, { encryptKey: TEST_APP.encryptKey }) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '50' },
      seconds: { type: 'string', default: '120' },
      only: { type: 'string' },
      'status-every': { type: 'string', default: '10' },
    },
  });
  ONLY = values.only;
  STATUS_EVERY = Number(values['status-every']);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const problems = Math.ceil(rate * seconds * 0.3) + 100;

  const child = fork(fileURLToPath(import.meta.url), ['--serve', String(problems)], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ],
    stdio: 'inherit',
  });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    child.on('message', (m: { ready?: boolean; port?: number }) => m.ready && resolve({ port: m.port ?? 0 })),
  );
  const stats = () => ask<Stats>(child, 'stats', 'stats');

  console.log(
    `Mixed load: ${rate} events/s for ${seconds} s (4/10 commands, 3/10 thread replies, 3/10 taps), signed and encrypted, embedded database.`,
  );
  const samples: Stats[] = [];
  child.send({ cmd: 'traceReset' });
  const sampler = setInterval(() => void stats().then((s) => samples.push(s)), 5000);
  const started = performance.now();
  const result = await openLoopMixed(port, rate, seconds, nextEvent);
  const loadMs = performance.now() - started;
  clearInterval(sampler);
  const atEnd = await stats();
  const endAt = performance.now();
  let drainedAfterMs: number | undefined = atEnd.backlog === 0 ? 0 : undefined;
  let after = atEnd;
  while (performance.now() - endAt < AFTER_SECONDS * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    after = await stats();
    if (after.backlog === 0 && drainedAfterMs === undefined) drainedAfterMs = performance.now() - endAt;
  }
  const peakLag = Math.max(atEnd.oldestMs, ...samples.map((s) => s.oldestMs));
  const peakRss = Math.max(after.rssMb, atEnd.rssMb, ...samples.map((s) => s.rssMb));

  console.log(`\nacks (${(loadMs / 1000).toFixed(0)} s of load)`);
  for (const text of result.lines) console.log(text);
  console.log(`\nprocessing lag: oldest waiting event peaked at ${(peakLag / 1000).toFixed(1)} s`);
  console.log(
    `backlog at end of load: ${atEnd.backlog} events; ${AFTER_SECONDS} s later: ${after.backlog}${drainedAfterMs !== undefined ? ` (zero ${(drainedAfterMs / 1000).toFixed(1)} s after the load)` : ''}`,
  );
  console.log(`messages sent to the fake Feishu: ${after.sent}`);
  console.log(`RSS of the bot process: ${after.rssMb.toFixed(0)} MB at the end, peak sampled ${peakRss.toFixed(0)} MB`);
  console.log(
    `target: backlog 0 within ${AFTER_SECONDS} s, p99 ack under 500 ms → ${after.backlog === 0 && result.p99 < 500 ? 'met' : 'NOT met'}`,
  );
  child.send({ cmd: 'stop', events: rate * seconds });
  await new Promise((resolve) => child.once('exit', resolve));
  agent.destroy();
}

interface Latencies {
  ms: number[];
  errors: number;
}

function summary(name: string, l: Latencies, elapsedMs: number): string {
  const sorted = [...l.ms].sort((a, b) => a - b);
  return line(name, {
    sent: l.ms.length + l.errors,
    ok: l.ms.length,
    errors: l.errors,
    failures: '',
    perSecond: (l.ms.length * 1000) / elapsedMs,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  });
}

/**
 * One open-loop schedule over both URLs: request i leaves at start + i/rate whatever became
 * of the earlier ones, and its ack time counts from then.
 */
async function openLoopMixed(
  port: number,
  rate: number,
  seconds: number,
  next: () => { path: string; sealed: Sealed },
) {
  const planned = Array.from({ length: rate * seconds }, next);
  const all: Latencies = { ms: [], errors: 0 };
  const byKind: Record<string, Latencies> = {
    '/webhook/event': { ms: [], errors: 0 },
    '/webhook/card': { ms: [], errors: 0 },
  };
  const start = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (const [i, request] of planned.entries()) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const kind = byKind[request.path] ?? all;
    inFlight.push(
      post(port, request.path, request.sealed).then(
        (status) => {
          const ms = performance.now() - due;
          if (status === 200) {
            all.ms.push(ms);
            kind.ms.push(ms);
          } else {
            all.errors += 1;
            kind.errors += 1;
          }
        },
        () => {
          all.errors += 1;
          kind.errors += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = performance.now() - start;
  const sortedAll = [...all.ms].sort((a, b) => a - b);
  return {
    p99: percentile(sortedAll, 99),
    lines: [
      summary('  all events', all, elapsed),
      summary('  messages (background)', byKind['/webhook/event']!, elapsed),
      summary('  taps (answered inline)', byKind['/webhook/card']!, elapsed),
    ],
  };
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serve(Number(process.argv[serveAt + 1]));
else await main();
