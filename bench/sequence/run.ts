/**
 * The sequence suite (`npm run bench -- --suite=sequence`): Tandem's `Text` beside Yjs,
 * Automerge, Loro, json-joy and diamond-types on real editing traces, timed with benny.
 * For each sequential trace: replay as local edits (time, and JS heap after a forced GC),
 * encode the whole document (time, bytes), load it (time), merge a replica's whole update
 * into an empty replica (time); for each concurrent trace: replay with one replica per
 * agent (time). Writes bench/results/sequence.md and, beside it, sequence.svg.
 *
 *   --quick                  sveltecomponent and friendsforever only, one sample per case;
 *                            nothing saved unless --out= is given
 *   --full                   more samples
 *   --only=tandem,yjs        libraries (tandem, yjs, automerge, loro, json-joy, diamond-types)
 *   --trace=seph-blog1,...   traces, sequential or concurrent, by file name without .json.gz
 *   --out=path.md            where the report goes (the chart goes beside it, .svg)
 *
 * Every case is checked before it is timed: benny calls each case once before sampling
 * it, and that first call runs the step and compares the text with the trace's
 * `endContent` (replay also measures the heap then). A case whose text is wrong is
 * reported as such and its timing thrown away.
 */
import { add, configure, cycle, suite } from 'benny';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flagValue, pickLibraries, type SuiteOptions } from '../suite.js';
import { chart } from './chart.js';
import {
  SEQUENCE_LIBRARIES,
  SEQUENCE_LIBRARY_NAMES,
  type ConcurrentTrace,
  type SequenceImplementation,
  type SequenceLibrary,
  type SequenceModule,
  type SequentialTrace,
} from './interfaces.js';
import { report, type Metric, type Row, type Timing, type TraceInfo } from './report.js';
import {
  CONCURRENT_TRACES,
  SEQUENTIAL_TRACES,
  loadConcurrentTrace,
  loadSequentialTrace,
} from './traces.js';

/** The flags this suite takes besides the shared ones. */
export const flags: readonly string[] = ['--trace=', '--out='];

/** The libraries `--only=` may name. */
export const libraries: readonly string[] = SEQUENCE_LIBRARIES;

const here = dirname(fileURLToPath(import.meta.url));

/** The traces of a quick run: small, so that every library finishes within a minute. */
const QUICK_TRACES = ['sveltecomponent', 'friendsforever.concurrent'];

async function load(library: SequenceLibrary): Promise<SequenceModule> {
  switch (library) {
    case 'tandem':
      return import('./implementations/tandem.js');
    case 'yjs':
      return import('./implementations/yjs.js');
    case 'automerge':
      return import('./implementations/automerge.js');
    case 'loro':
      return import('./implementations/loro.js');
    case 'json-joy':
      return import('./implementations/json-joy.js');
    case 'diamond-types':
      return import('./implementations/diamond-types.js');
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How many samples a case gets, from how long its first (checking) call took. */
interface Sampling {
  readonly minSamples: number;
  /** Seconds of sampling after `minSamples`, as benchmark.js' `maxTime`. */
  readonly maxTime: number;
  /** Extra untimed calls after the checking one, so the JIT and heap have settled. */
  readonly warmUps: number;
}

type Mode = 'quick' | 'default' | 'full';

function sampling(mode: Mode, seconds: number): Sampling {
  if (mode === 'quick') return { minSamples: 1, maxTime: 0, warmUps: seconds < 0.05 ? 1 : 0 };
  if (mode === 'full') {
    return { minSamples: seconds >= 5 ? 3 : 8, maxTime: seconds >= 5 ? 0 : 3, warmUps: seconds >= 1 ? 0 : 2 };
  }
  // Default: about 0.5 s of sampling for a fast case; slow cases get few samples (the
  // Automerge replays take half a minute each, and the suite should stay near 4 minutes).
  if (seconds >= 5) return { minSamples: 1, maxTime: 0, warmUps: 0 };
  if (seconds >= 1) return { minSamples: 2, maxTime: 0, warmUps: 0 };
  if (seconds >= 0.1) return { minSamples: 3, maxTime: 0.3, warmUps: 1 };
  return { minSamples: 5, maxTime: 0.5, warmUps: 2 };
}

/** Collects garbage as thoroughly as a synchronous caller can. */
function collect(): void {
  globalThis.gc?.();
  globalThis.gc?.();
}

/**
 * One benny case. benny calls the case function once before sampling it; that call runs
 * `check` (the step, the comparison with the expected text, and whatever it records),
 * which returns a problem or nothing, then the warm-ups. Every later call runs `timed`.
 */
interface Case {
  readonly library: SequenceLibrary;
  readonly check: () => string | undefined;
  readonly timed: () => void;
  readonly done: (result: Timing | string) => void;
}

/** Runs one benny suite over the cases of one metric. */
async function measure(title: string, cases: readonly Case[], mode: Mode): Promise<void> {
  if (cases.length === 0) return;
  console.log(`\n${title}`);
  const problems = new Map<string, string>();
  const entries = cases.map((c) => {
    const name = SEQUENCE_LIBRARY_NAMES[c.library];
    // benny reads a case's options after its first call, so the sampling chosen there applies.
    const options: { minSamples?: number; maxTime?: number } = {};
    let checked = false;
    let failed = false;
    const run = (): void => {
      if (checked) {
        if (!failed) c.timed();
        return;
      }
      checked = true;
      collect();
      const started = performance.now();
      let problem: string | undefined;
      try {
        problem = c.check();
      } catch (error) {
        problem = `threw: ${message(error)}`;
      }
      const seconds = (performance.now() - started) / 1000;
      if (problem !== undefined) {
        failed = true;
        problems.set(name, problem);
        console.log(`  ${name}: NOT TIMED: ${problem}`);
        Object.assign(options, { minSamples: 1, maxTime: 0 });
        return;
      }
      const chosen = sampling(mode, seconds);
      Object.assign(options, { minSamples: chosen.minSamples, maxTime: chosen.maxTime });
      for (let i = 0; i < chosen.warmUps; i++) c.timed();
      collect();
    };
    return { c, name, add: add(name, run, options) };
  });
  await suite(
    title,
    configure({ cases: { initCount: 1 } }),
    ...entries.map((entry) => entry.add),
    cycle((current) => {
      const entry = entries.find((e) => e.name === current.name);
      if (entry === undefined) return;
      const problem = problems.get(entry.name);
      if (problem !== undefined) {
        entry.c.done(problem);
      } else {
        const timing = { seconds: 1 / current.ops, margin: current.margin, samples: current.samples };
        entry.c.done(timing);
        console.log(
          `  ${entry.name}: ${(timing.seconds * 1000).toPrecision(3)} ms ` +
            `(±${current.margin.toFixed(1)}%, ${current.samples} sample${current.samples === 1 ? '' : 's'})`,
        );
      }
      collect();
    }),
  );
}

type Implementation = SequenceImplementation<unknown>;

/** Replay, encode, load and merge for every library on one sequential trace. */
async function sequential(
  trace: SequentialTrace,
  implementations: readonly Implementation[],
  mode: Mode,
): Promise<Row[]> {
  const rows = new Map<SequenceLibrary, Row>();
  const docs = new Map<SequenceLibrary, unknown>();
  const row = (library: SequenceLibrary): Row => {
    let found = rows.get(library);
    if (found === undefined) {
      found = { library, trace: trace.name, kind: 'sequential', timings: {}, problems: {}, other: [] };
      rows.set(library, found);
    }
    return found;
  };
  const finish = (library: SequenceLibrary, metric: Metric) => (result: Timing | string) => {
    const target = row(library);
    if (typeof result === 'string') target.problems[metric] = result;
    else target.timings[metric] = result;
  };
  const wrong = (what: string, text: string): string | undefined =>
    text === trace.endContent
      ? undefined
      : `${what} holds ${text.length} characters, not the trace's ${trace.endContent.length}` +
        (text.length === trace.endContent.length ? ' (same length, different text)' : '');
  const free = (impl: Implementation, doc: unknown): void => impl.free?.(doc);

  const label = `${trace.name} (${trace.txns.length} transactions, ${trace.patches} patches)`;
  await measure(
    `${label}: replay as local edits`,
    implementations.map((impl) => ({
      library: impl.library,
      check() {
        collect();
        const before = process.memoryUsage().heapUsed;
        const doc = impl.replay(trace);
        collect();
        row(impl.library).heap = process.memoryUsage().heapUsed - before;
        docs.set(impl.library, doc);
        return wrong('the replayed document', impl.text(doc));
      },
      timed: () => free(impl, impl.replay(trace)),
      done: finish(impl.library, 'replay'),
    })),
    mode,
  );

  const replayed = implementations.flatMap((impl) => {
    const doc = docs.get(impl.library);
    if (doc === undefined || row(impl.library).problems.replay !== undefined) {
      const target = row(impl.library);
      for (const metric of ['encode', 'load', 'merge'] as const) {
        target.problems[metric] = 'the replay failed';
      }
      return [];
    }
    return [{ impl, doc }];
  });

  let sink = 0;
  const encoded = new Map<SequenceLibrary, Uint8Array>();
  await measure(
    `${label}: encode the whole document`,
    replayed.map(({ impl, doc }) => ({
      library: impl.library,
      check() {
        const bytes = impl.encode(doc);
        encoded.set(impl.library, bytes);
        const target = row(impl.library);
        target.bytes = bytes.length;
        target.updateBytes = impl.update(doc).length;
        target.other = (impl.otherEncodings?.(doc) ?? []).map((e) => ({ format: e.format, bytes: e.bytes.length }));
        const loaded = impl.load(bytes);
        const problem = wrong('the document loaded from the encoding', impl.text(loaded));
        free(impl, loaded);
        return problem;
      },
      timed() {
        sink += impl.encode(doc).length;
      },
      done: finish(impl.library, 'encode'),
    })),
    mode,
  );

  await measure(
    `${label}: load the encoding into a new document, then read the text`,
    replayed.flatMap(({ impl }) => {
      const bytes = encoded.get(impl.library);
      if (bytes === undefined) {
        row(impl.library).problems.load = 'the encoding failed';
        return [];
      }
      return [
        {
          library: impl.library,
          check() {
            const doc = impl.load(bytes);
            const problem = wrong('the loaded document', impl.text(doc));
            free(impl, doc);
            return problem;
          },
          timed() {
            const doc = impl.load(bytes);
            sink += impl.text(doc).length;
            free(impl, doc);
          },
          done: finish(impl.library, 'load'),
        },
      ];
    }),
    mode,
  );

  await measure(
    `${label}: merge one replica's whole update into an empty replica, then read the text`,
    replayed.map(({ impl, doc }) => {
      let update: Uint8Array = new Uint8Array(0);
      return {
        library: impl.library,
        check() {
          update = impl.update(doc);
          const merged = impl.merge(update);
          const problem = wrong('the merged replica', impl.text(merged));
          free(impl, merged);
          return problem;
        },
        timed() {
          const merged = impl.merge(update);
          sink += impl.text(merged).length;
          free(impl, merged);
        },
        done: finish(impl.library, 'merge'),
      };
    }),
    mode,
  );

  for (const { impl, doc } of replayed) free(impl, doc);
  docs.clear();
  if (sink < 0) console.log(sink);
  return implementations.map((impl) => row(impl.library));
}

/** The concurrent replay for every library on one concurrent trace. */
async function concurrent(
  trace: ConcurrentTrace,
  implementations: readonly Implementation[],
  mode: Mode,
): Promise<Row[]> {
  const rows = implementations.map(
    (impl): Row => ({ library: impl.library, trace: trace.name, kind: 'concurrent', timings: {}, problems: {}, other: [] }),
  );
  await measure(
    `${trace.name} (${trace.agents} agents, ${trace.txns.length} transactions): replay with one replica per agent`,
    implementations.map((impl, index) => ({
      library: impl.library,
      check() {
        const replicas = impl.replayConcurrent(trace);
        const texts = replicas.map((replica) => impl.text(replica));
        for (const replica of replicas) impl.free?.(replica);
        const bad = texts.findIndex((text) => text !== trace.endContent);
        return bad === -1
          ? undefined
          : `agent ${bad}'s replica holds ${texts[bad]?.length ?? 0} characters, not the trace's ${trace.endContent.length}`;
      },
      timed() {
        for (const replica of impl.replayConcurrent(trace)) impl.free?.(replica);
      },
      done(result) {
        const target = rows[index];
        if (target === undefined) return;
        if (typeof result === 'string') target.problems.concurrent = result;
        else target.timings.concurrent = result;
      },
    })),
    mode,
  );
  return rows;
}

/**
 * Runs the suite: every selected trace and library, then the report and the chart.
 * @throws {Error} when a flag is malformed or a trace cannot be read.
 */
export async function run(options: SuiteOptions): Promise<void> {
  const mode: Mode = options.full ? 'full' : options.quick ? 'quick' : 'default';
  const chosen = pickLibraries(SEQUENCE_LIBRARIES, options.only);
  if (chosen.length === 0) {
    console.log('sequence suite: none of the libraries named with --only= takes part; skipped');
    return;
  }
  const traceArg = flagValue(options.args, 'trace');
  const traceNames =
    traceArg !== undefined
      ? traceArg.split(',').filter((name) => name !== '')
      : mode === 'quick'
        ? QUICK_TRACES
        : [...SEQUENTIAL_TRACES, ...CONCURRENT_TRACES];
  if (traceNames.length === 0) throw new Error('--trace= takes a comma-separated list of trace names');
  const outArg = flagValue(options.args, 'out');
  const out = outArg !== undefined ? resolve(outArg) : mode === 'quick' ? undefined : resolve(here, '..', 'results', 'sequence.md');
  const chartPath = out === undefined ? undefined : `${out.replace(/\.md$/, '')}.svg`;

  const started = performance.now();
  const implementations: Implementation[] = [];
  for (const library of chosen) {
    try {
      implementations.push((await load(library)).implementation);
    } catch (error) {
      console.log(`${SEQUENCE_LIBRARY_NAMES[library]}: not available: ${message(error)}`);
    }
  }
  const missing = chosen.filter((library) => !implementations.some((impl) => impl.library === library));

  const rows: Row[] = [];
  const traces: TraceInfo[] = [];
  for (const name of traceNames) {
    const isConcurrent = name.endsWith('.concurrent');
    const trace = isConcurrent ? loadConcurrentTrace(name) : loadSequentialTrace(name);
    traces.push({
      name,
      kind: trace.kind,
      txns: trace.txns.length,
      patches: trace.patches,
      length: trace.endContent.length,
    });
    rows.push(
      ...(trace.kind === 'concurrent'
        ? await concurrent(trace, implementations, mode)
        : await sequential(trace, implementations, mode)),
    );
  }

  const markdown = report(
    {
      date: new Date(),
      command: options.command,
      mode: `${mode} run`,
      seconds: (performance.now() - started) / 1000,
      libraries: chosen,
      missing,
      traces,
      notes: implementations.flatMap((impl) =>
        (impl.notes ?? []).map((note) => `${SEQUENCE_LIBRARY_NAMES[impl.library]}: ${note}`),
      ),
      formats: implementations.map((impl) => ({
        library: impl.library,
        type: impl.type,
        format: impl.format,
        updateFormat: impl.updateFormat,
      })),
    },
    rows,
    chartPath === undefined ? undefined : basename(chartPath),
  );
  console.log(`\n${markdown}`);
  if (out === undefined || chartPath === undefined) {
    console.log('quick run: report not saved (give --out= to save it)');
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown);
  writeFileSync(chartPath, chart(rows, traces));
  console.log(`written to ${out} and ${chartPath}`);
}
