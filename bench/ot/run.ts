/**
 * The OT suite: throughput of apply, compose and transform on random ops over 1 KB and
 * 100 KB documents, Tandem beside ot-text-unicode, quill-delta and ot.js (plain text) and
 * quill-delta (rich text), timed with benny in one process; then the automerge-paper
 * trace replayed patch by patch as ops. Writes bench/results/ot.md.
 *
 * Run alone:  node --expose-gc --import tsx bench/ot/run.ts [--quick] [--only=tandem,quill-delta] [--out=path]
 * or as part of `npm run bench` (bench/run.ts), which calls {@link run}.
 */
import { add, configure, cycle, suite } from 'benny';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flagValue, pickLibraries, type SuiteOptions } from '../suite.js';
import { OT_LIBRARIES, OT_LIBRARY_NAMES, type OTLibrary, type RichImplementation, type TextImplementation } from './interfaces.js';
import { report, type Measurement, type ReplayResult } from './report.js';
import { replayTrace } from './trace.js';
import { richWorkloads, textWorkloads, POOL, type Pools } from './workloads.js';

/** Flags this suite takes besides the shared ones. */
export const flags: readonly string[] = ['--out=', '--no-trace'];
/** Libraries `--only=` may name. */
export const libraries: readonly string[] = OT_LIBRARIES;

const here = dirname(fileURLToPath(import.meta.url));

async function loadText(library: OTLibrary): Promise<TextImplementation> {
  switch (library) {
    case 'tandem':
      return (await import('./implementations/tandem.js')).textImplementation as TextImplementation;
    case 'ot-text-unicode':
      return (await import('./implementations/ot-text-unicode.js')).textImplementation as TextImplementation;
    case 'quill-delta':
      return (await import('./implementations/quill-delta.js')).textImplementation as TextImplementation;
    case 'otjs':
      return (await import('./implementations/otjs.js')).textImplementation as TextImplementation;
  }
}

async function loadRich(library: OTLibrary): Promise<RichImplementation | undefined> {
  switch (library) {
    case 'tandem':
      return (await import('./implementations/tandem.js')).richImplementation as RichImplementation;
    case 'quill-delta':
      return (await import('./implementations/quill-delta.js')).richImplementation as RichImplementation;
    default:
      return undefined;
  }
}

/** Untimed runs through the pool before each case's samples. */
const WARM_UP_RUNS = 20;

type Operation = 'apply' | 'compose' | 'transform';
const OPERATIONS: readonly Operation[] = ['apply', 'compose', 'transform'];

/** One timed case: a run goes through the pool; `opsPerRun` converts runs/s into ops/s. */
interface Case {
  readonly library: OTLibrary;
  readonly run: () => number;
  readonly opsPerRun: number;
}

interface Timing {
  readonly minSamples: number;
  readonly maxTime: number;
  /** Interleaved rounds of 20 ms per case (see `interleaved`). */
  readonly rounds: number;
}

/** Times the cases of one (family, size, operation) with benny. */
async function time(title: string, cases: readonly Case[], timing: Timing): Promise<Measurement[]> {
  const results = new Map<string, Measurement>();
  let sink = 0;
  await suite(
    title,
    configure({ cases: { initCount: 1, minSamples: timing.minSamples, maxTime: timing.maxTime } }),
    ...cases.map((c) =>
      add(OT_LIBRARY_NAMES[c.library], () => {
        // Untimed warm-up so the JIT has settled before the first sample.
        globalThis.gc?.();
        for (let i = 0; i < WARM_UP_RUNS; i++) sink += c.run();
        return () => {
          sink += c.run();
        };
      }),
    ),
    cycle((current) => {
      const c = cases.find((x) => OT_LIBRARY_NAMES[x.library] === current.name)!;
      const measurement = {
        library: c.library,
        opsPerSecond: current.ops * c.opsPerRun,
        interleavedOpsPerSecond: NaN,
        margin: current.margin,
        samples: current.samples,
      };
      results.set(c.library, measurement);
      console.log(`  ${title}, ${current.name}: ${Math.round(measurement.opsPerSecond).toLocaleString('en')} ops/s ±${current.margin.toFixed(1)}%`);
      globalThis.gc?.();
    }),
  );
  if (sink === -1) console.log('');
  const best = interleaved(cases, timing.rounds, 20);
  console.log(`  ${title}, median of interleaved rounds by CPU time: ${cases.map((c) => `${OT_LIBRARY_NAMES[c.library]} ${Math.round(best.get(c.library) ?? 0).toLocaleString('en')}`).join(', ')} ops/s`);
  return cases.flatMap((c) => {
    const measured = results.get(c.library);
    return measured === undefined ? [] : [{ ...measured, interleavedOpsPerSecond: best.get(c.library) ?? NaN }];
  });
}

/**
 * The median rate of each case, by CPU time, when the cases take turns in short rounds
 * (in reverse order every other round). CPU time leaves out the time the process waits
 * while other processes run, and taking turns gives every case the same share of what
 * remains (caches, frequency, the collector), so on a machine shared with other work the
 * median compares the code rather than the moment it ran.
 */
function interleaved(cases: readonly Case[], rounds: number, roundMs: number): Map<OTLibrary, number> {
  const rates = new Map<OTLibrary, number[]>(cases.map((c) => [c.library, []]));
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    for (const c of round % 2 === 0 ? cases : [...cases].reverse()) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      let runs = 0;
      do {
        sink += c.run();
        runs++;
      } while (performance.now() - started < roundMs);
      const cpu = process.cpuUsage(cpuStarted);
      const micros = Math.max(1, cpu.user + cpu.system);
      rates.get(c.library)!.push((runs * c.opsPerRun * 1e6) / micros);
    }
  }
  if (sink === -1) console.log('');
  return new Map([...rates].map(([library, list]) => [library, median(list)]));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Problems with a library's results on a workload (checked untimed, before timing). */
function checkText(impl: TextImplementation, reference: TextImplementation, pools: Pools<never, string>): string | undefined {
  const doc = impl.doc(pools.doc);
  const refDoc = reference.doc(pools.doc);
  for (const op of pools.apply) {
    if (impl.text(impl.apply(doc, impl.op(op, pools.length))) !== reference.text(reference.apply(refDoc, reference.op(op, pools.length)))) {
      return 'apply gives another document than Tandem';
    }
  }
  for (const [a, b, after] of pools.compose) {
    const composed = impl.compose(impl.op(a, pools.length), impl.op(b, after));
    if (impl.text(impl.apply(doc, composed)) !== reference.text(reference.apply(refDoc, reference.compose(a, b)))) {
      return 'compose gives another op than Tandem';
    }
  }
  return undefined;
}

function textCases(impls: readonly TextImplementation[], pools: Pools<never, string>, operation: Operation): Case[] {
  return impls.map((impl) => {
    const doc = impl.doc(pools.doc);
    switch (operation) {
      case 'apply': {
        const ops = pools.apply.map((op) => impl.op(op, pools.length));
        return { library: impl.library, opsPerRun: ops.length, run: () => {
          let n = 0;
          for (const op of ops) n += impl.apply(doc, op) === doc ? 1 : 0;
          return n;
        } };
      }
      case 'compose': {
        const pairs = pools.compose.map(([a, b, after]) => [impl.op(a, pools.length), impl.op(b, after)] as const);
        return { library: impl.library, opsPerRun: pairs.length, run: () => {
          let n = 0;
          for (const [a, b] of pairs) n += impl.compose(a, b) === a ? 1 : 0;
          return n;
        } };
      }
      case 'transform': {
        const pairs = pools.transform.map(([a, b]) => [impl.op(a, pools.length), impl.op(b, pools.length)] as const);
        return { library: impl.library, opsPerRun: pairs.length * impl.transformCount, run: () => {
          let n = 0;
          for (const [a, b] of pairs) n += impl.transform(a, b) === a ? 1 : 0;
          return n;
        } };
      }
    }
  });
}

function richCases(impls: readonly RichImplementation[], pools: Pools<never, never>, operation: Operation): Case[] {
  return impls.map((impl) => {
    const doc = impl.doc(pools.doc);
    const pairs = (operation === 'compose' ? pools.compose : pools.transform).map(([a, b]) => [impl.op(a), impl.op(b)] as const);
    const ops = pools.apply.map((op) => impl.op(op));
    const fn = operation === 'compose' ? impl.compose : impl.transform;
    return {
      library: impl.library,
      opsPerRun: POOL,
      run:
        operation === 'apply'
          ? () => {
              let n = 0;
              for (const op of ops) n += impl.apply(doc, op) === doc ? 1 : 0;
              return n;
            }
          : () => {
              let n = 0;
              for (const [a, b] of pairs) n += fn(a, b) === a ? 1 : 0;
              return n;
            },
    };
  });
}

/**
 * Runs the suite and writes its report.
 * @param options the shared options of `npm run bench` (`bench/suite.ts`).
 */
export async function run(options: SuiteOptions): Promise<void> {
  const started = performance.now();
  const picked = pickLibraries(OT_LIBRARIES, options.only);
  const timing: Timing = options.quick
    ? { minSamples: 3, maxTime: 0.15, rounds: 3 }
    : options.full
      ? { minSamples: 10, maxTime: 3, rounds: 50 }
      : { minSamples: 8, maxTime: 0.8, rounds: 21 };
  const textImpls = await Promise.all(picked.map(loadText));
  const richImpls = (await Promise.all(picked.map(loadRich))).filter((impl) => impl !== undefined);
  const reference = await loadText('tandem');

  const measured: { family: 'text' | 'rich text'; size: string; operation: Operation; results: Measurement[]; problems: Map<OTLibrary, string> }[] = [];
  for (const pools of textWorkloads()) {
    const problems = new Map<OTLibrary, string>();
    const checked = textImpls.filter((impl) => {
      const problem = checkText(impl, reference, pools as Pools<never, string>);
      if (problem !== undefined) problems.set(impl.library, problem);
      return problem === undefined;
    });
    for (const operation of OPERATIONS) {
      const cases = textCases(checked, pools as Pools<never, string>, operation);
      measured.push({ family: 'text', size: pools.name, operation, results: await time(`text ${operation}, ${pools.name}`, cases, timing), problems });
    }
  }
  for (const pools of richWorkloads()) {
    for (const operation of OPERATIONS) {
      const cases = richCases(richImpls, pools as Pools<never, never>, operation);
      measured.push({ family: 'rich text', size: pools.name, operation, results: await time(`rich text ${operation}, ${pools.name}`, cases, timing), problems: new Map() });
    }
  }

  const replays: ReplayResult[] = options.args.includes('--no-trace') ? [] : replayTrace(picked, options.quick ? 2 : options.full ? 60 : 10);

  const markdown = report({
    date: new Date(),
    command: options.command,
    mode: options.quick ? 'quick run' : options.full ? 'full run' : 'default run',
    seconds: (performance.now() - started) / 1000,
    libraries: picked,
    measured,
    replays,
  });
  console.log(`\n${markdown}`);
  const out = flagValue(options.args, 'out');
  if (options.quick && out === undefined) {
    console.log('quick run: report not saved (give --out= to save it)');
    return;
  }
  const path = resolve(out ?? resolve(here, '..', 'results', 'ot.md'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, markdown);
  console.log(`written to ${path}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const only = flagValue(args, 'only')?.split(',').filter((name) => name !== '');
  await run({
    quick: args.includes('--quick'),
    full: args.includes('--full'),
    only,
    args: args.filter((arg) => flags.some((flag) => (flag.endsWith('=') ? arg.startsWith(flag) : arg === flag))),
    command: ['node --expose-gc --import tsx bench/ot/run.ts', ...args].join(' '),
  });
}
