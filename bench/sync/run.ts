/**
 * The fan-out suite: one writer and 100 subscribers of one text on loopback, the server
 * in a child process of its own (`server.ts`), the clients in this one.
 *
 *   node --expose-gc --import tsx bench/sync/run.ts [--quick | --full] [--subscribers=100] [--only=tandem,y-websocket] [--out=file]
 *   npm run bench -- --suite=sync
 *
 * Each edit appends a fixed-width token, so a replica's length says how many edits it
 * holds. Three phases per stack:
 *
 * 1. warm-up: edits paced as in phase 2, not counted;
 * 2. latency: edits paced every 10 ms; for each edit and subscriber, the time from the
 *    local edit to the subscriber's change event (p50, p99), and per edit the time until
 *    the last subscriber has it (p50, p99);
 * 3. throughput: edits as fast as the writer makes them (yielding to the event loop
 *    after each, so each can leave as its own message); edits delivered per second is
 *    edits × subscribers ÷ the time from the first edit until the last subscriber holds
 *    the last one.
 *
 * Then `store.ts` times LevelStore appends one at a time and all at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machine, packageVersion } from '../environment.js';
import { flagValue, pickLibraries, type SuiteOptions } from '../suite.js';
import { tandemProtocol } from './implementations/tandem-protocol.js';
import { tandem } from './implementations/tandem.js';
import { yWebsocket } from './implementations/y-websocket.js';
import { STACKS, STACK_NAMES, type ClientStack, type Replica, type Stack } from './interfaces.js';
import { measureAppends, type AppendRates } from './store.js';

/** Flags of this suite besides the shared ones. */
export const flags = ['--subscribers=', '--out='];
/** The names `--only=` may give. */
export const libraries: readonly string[] = STACKS;

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const DEFAULT_OUT = join(ROOT, 'bench', 'results', 'sync.md');
const TOKEN_LENGTH = 8;
const PACE_MS = 10;

const CLIENTS: Readonly<Record<Stack, ClientStack>> = { tandem, 'tandem-memory': tandem, 'tandem-protocol': tandemProtocol, 'y-websocket': yWebsocket };
/** The server each stack runs (`server.ts` takes these names). */
const SERVERS: Readonly<Record<Stack, string>> = { tandem: 'tandem', 'tandem-memory': 'tandem-memory', 'tandem-protocol': 'tandem', 'y-websocket': 'y-websocket' };

interface Sizes {
  readonly warmup: number;
  readonly paced: number;
  readonly burst: number;
}

/** What one stack measured. */
interface Result {
  readonly stack: Stack;
  readonly subscribers: number;
  readonly sizes: Sizes;
  readonly deliveredPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly lastP50: number;
  readonly lastP99: number;
}

function token(i: number): string {
  return `${String(i).padStart(TOKEN_LENGTH - 1, '0')};`;
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function startServer(stack: Stack): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'server.ts'), SERVERS[stack]], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the ${stack} server exited (${code}) before listening: ${output}`)));
  });
  return { child, url };
}

async function waitFor(condition: () => boolean, what: () => string, timeout = 120_000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeout) throw new Error(`timed out waiting for ${what()}`);
    await sleep(2);
  }
}

async function measure(stack: Stack, subscriberCount: number, sizes: Sizes): Promise<Result> {
  const { child, url } = await startServer(stack);
  const client = CLIENTS[stack];
  const doc = `fanout-${Date.now()}`;
  const total = sizes.warmup + sizes.paced + sizes.burst;
  const sentAt = new Float64Array(total);
  const subscribers: { replica: Replica; seen: number; arrivals: Float64Array }[] = [];
  let writer: Replica | undefined;
  try {
    for (let i = 0; i < subscriberCount; i += 10) {
      const batch = await Promise.all(Array.from({ length: Math.min(10, subscriberCount - i) }, () => client.connect(url, doc)));
      for (const replica of batch) {
        const s = { replica, seen: 0, arrivals: new Float64Array(total) };
        replica.onChange(() => {
          const now = performance.now();
          const held = Math.floor(replica.length() / TOKEN_LENGTH);
          for (let k = s.seen; k < held; k++) s.arrivals[k] = now;
          s.seen = Math.max(s.seen, held);
        });
        subscribers.push(s);
      }
    }
    writer = await client.connect(url, doc);
    const w = writer;
    const everyoneHas = (n: number) => (): boolean => subscribers.every((s) => s.seen >= n);

    let next = 0;
    for (; next < sizes.warmup + sizes.paced; next++) {
      sentAt[next] = performance.now();
      w.append(token(next));
      await sleep(PACE_MS);
    }
    const progress = (n: number) => (): string => `edit ${n} to reach every subscriber (the slowest holds ${Math.min(...subscribers.map((s) => s.seen))})`;
    await waitFor(everyoneHas(next), progress(next));

    const burstStart = performance.now();
    for (; next < total; next++) {
      sentAt[next] = performance.now();
      w.append(token(next));
      await yieldNow();
    }
    await waitFor(everyoneHas(total), progress(total));
    await w.flushed();
    const lastArrival = Math.max(...subscribers.map((s) => s.arrivals[total - 1]!));

    const latencies = new Float64Array(subscribers.length * sizes.paced);
    const last = new Float64Array(sizes.paced);
    for (let e = 0; e < sizes.paced; e++) {
      const edit = sizes.warmup + e;
      let slowest = 0;
      subscribers.forEach((s, i) => {
        const latency = s.arrivals[edit]! - sentAt[edit]!;
        latencies[i * sizes.paced + e] = latency;
        slowest = Math.max(slowest, latency);
      });
      last[e] = slowest;
    }
    latencies.sort();
    last.sort();
    return {
      stack,
      subscribers: subscribers.length,
      sizes,
      deliveredPerSecond: (sizes.burst * subscribers.length) / ((lastArrival - burstStart) / 1000),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      lastP50: percentile(last, 0.5),
      lastP99: percentile(last, 0.99),
    };
  } finally {
    await Promise.all([writer, ...subscribers.map((s) => s.replica)].map((r) => r?.close()));
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
  }
}

function format(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(0);
}

function report(options: SuiteOptions, results: readonly Result[], skipped: readonly string[], appends: AppendRates, seconds: number): string {
  const sizes = results[0]?.sizes;
  const lines = [
    '# Sync fan-out',
    '',
    'One writer and many subscribers of one text on loopback; the server runs in a child',
    'process, the clients in the benchmark process (so both share the machine\'s cores).',
    'Each edit appends 8 characters. Latency is from the local edit to a subscriber\'s change',
    'event (edits paced every 10 ms); "last subscriber" is, per edit, the time until every',
    'subscriber has it. Edits delivered/s: a burst of edits made as fast as the writer can,',
    'times subscribers, over the time until the last subscriber holds the last edit.',
    'Written by `bench/sync/run.ts`; bench/README.md says more. The machine is shared:',
    'figures move by up to 3× between runs, so compare stacks within one report.',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Command: \`${options.command}\` (${options.full ? 'full' : options.quick ? 'quick' : 'default'} run; took ${seconds.toFixed(0)} s)`,
    `- Machine: ${machine()}`,
    `- Versions: Tandem ${packageVersion('tandem')}, ws ${packageVersion('ws')}, classic-level ${packageVersion('classic-level')}, Yjs ${packageVersion('yjs')}, y-websocket ${packageVersion('y-websocket')}`,
    sizes === undefined ? '' : `- Edits: ${sizes.warmup} warm-up, ${sizes.paced} paced, ${sizes.burst} in the burst`,
    '',
    '| Stack | Subscribers | Edits delivered/s | p50 latency | p99 latency | p50 last subscriber | p99 last subscriber |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${STACK_NAMES[r.stack]} | ${r.subscribers} | ${format(r.deliveredPerSecond)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.lastP50.toFixed(1)} ms | ${r.lastP99.toFixed(1)} ms |`,
    ),
    ...skipped.map((s) => `\n${s}`),
    '',
    '## LevelStore appends',
    '',
    `${appends.appends} appends of ${appends.bytes} bytes, each durable (fsync) before it resolves. The hub awaits`,
    'one document\'s appends one at a time; appends in flight together share one fsync (group commit).',
    '',
    '| Mode | Appends/s |',
    '| --- | ---: |',
    `| one at a time | ${format(appends.oneAtATime)} |`,
    `| all at once | ${format(appends.allAtOnce)} |`,
    '',
  ];
  return lines.join('\n');
}

/** Runs the fan-out suite. */
export async function run(options: SuiteOptions): Promise<void> {
  const started = performance.now();
  const subscribers = Number(flagValue(options.args, 'subscribers') ?? 100);
  if (!Number.isSafeInteger(subscribers) || subscribers < 1) throw new Error('--subscribers= is a positive integer');
  const sizes: Sizes = options.quick
    ? { warmup: 20, paced: 100, burst: 500 }
    : options.full
      ? { warmup: 100, paced: 1000, burst: 5000 }
      : { warmup: 50, paced: 300, burst: 2000 };
  const stacks = pickLibraries(STACKS, options.only);
  const results: Result[] = [];
  const skipped: string[] = [];
  for (const stack of stacks) {
    try {
      const result = await measure(stack, subscribers, sizes);
      results.push(result);
      console.log(
        `${STACK_NAMES[stack]}: ${format(result.deliveredPerSecond)} edits delivered/s; latency p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms; last subscriber p50 ${result.lastP50.toFixed(1)} ms, p99 ${result.lastP99.toFixed(1)} ms`,
      );
    } catch (error) {
      const why = `${STACK_NAMES[stack]}: not measured: ${error instanceof Error ? error.message : String(error)}`;
      console.log(why);
      skipped.push(why);
    }
  }
  const appends = await measureAppends(options.quick ? 300 : 1000, 40);
  console.log(`LevelStore: ${format(appends.oneAtATime)} appends/s one at a time, ${format(appends.allAtOnce)} appends/s all at once`);
  const markdown = report(options, results, skipped, appends, (performance.now() - started) / 1000);
  console.log(`\n${markdown}`);
  const out = flagValue(options.args, 'out') ?? (options.quick ? undefined : DEFAULT_OUT);
  if (out === undefined) {
    console.log('quick run: report not saved (give --out= to save it)');
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown);
  console.log(`written to ${out}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const only = flagValue(args, 'only')?.split(',');
  await run({
    quick: args.includes('--quick'),
    full: args.includes('--full'),
    only,
    args: args.filter((a) => flags.some((f) => a.startsWith(f))),
    command: ['node --expose-gc --import tsx bench/sync/run.ts', ...args].join(' '),
  });
}
