/**
 * The sequence suite (`npm run bench -- --suite=sequence`): Tandem's `Text` beside Yjs,
 * Automerge, Loro, json-joy and diamond-types on real editing traces, timed with benny.
 * For each sequential trace: replay as local edits (time, and JS heap after a forced GC),
 * encode the whole document (time, bytes), load it (time), merge a replica's whole update
 * into an empty replica (time); for each concurrent trace: replay with one replica per
 * agent (time). Writes bench/results/sequence.md and, beside it, sequence.svg.
 *
 *   --quick                  sveltecomponent and friendsforever only, one run per case;
 *                            nothing saved unless --out= is given
 *   --full                   more samples
 *   --only=tandem,yjs        libraries (tandem, yjs, automerge, loro, json-joy, diamond-types)
 *   --trace=seph-blog1,...   traces, sequential or concurrent, by file name without .json.gz
 *   --out=path.md            where the report goes (beside it: the chart, .svg, and the
 *                            figures, .json)
 *   --from=path.json         measure nothing: redraw the report and chart from saved figures
 *
 * Every case is checked before it is sampled: benny calls each case once before sampling
 * it, and that first call runs the step, timed, then compares the text with the trace's
 * `endContent` (replay also measures the heap then). A case whose text is wrong is
 * reported as such and not timed. A step that took 5 s or more (1 s in a quick run) is
 * not sampled again: its checked run is its one timing.
 */
import { add, configure, cycle, suite } from 'benny';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from '../environment.js';
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
import { milliseconds, report, versions, type Metric, type Row, type RunInfo, type Timing, type TraceInfo } from './report.js';
import {
  CONCURRENT_TRACES,
  SEQUENTIAL_TRACES,
  loadConcurrentTrace,
  loadSequentialTrace,
} from './traces.js';

/** The flags this suite takes besides the shared ones. */
export const flags: readonly string[] = ['--trace=', '--out=', '--from='];

/** The libraries `--only=` may name. */
export const libraries: readonly string[] = SEQUENCE_LIBRARIES;

const here = dirname(fileURLToPath(import.meta.url));

/** The traces of a quick run: the smallest sequential trace and the concurrent one. */
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

/** How many samples a case gets, from how long its step took in the checking call. */
interface Sampling {
  /**
   * The checked run is the case's only timing: for steps that take seconds (Automerge's
   * replays, Loro's concurrent replay), so the suite stays within minutes. The run is
   * timed without its check, and its figure is kept only if the check then passes.
   */
  readonly once: boolean;
  readonly minSamples: number;
  /** Seconds of sampling after `minSamples`, as benchmark.js' `maxTime`. */
  readonly maxTime: number;
  /** Extra untimed calls after the checking one, so the JIT and heap have settled. */
  readonly warmUps: number;
}

type Mode = 'quick' | 'default' | 'full';

function sampling(mode: Mode, seconds: number): Sampling {
  if (mode === 'quick') {
    return { once: seconds >= 1, minSamples: 1, maxTime: 0, warmUps: seconds < 0.05 ? 1 : 0 };
  }
  if (mode === 'full') {
    return {
      once: false,
      minSamples: seconds >= 5 ? 3 : 8,
      maxTime: seconds >= 5 ? 0 : 3,
      warmUps: seconds >= 1 ? 0 : 2,
    };
  }
  // Default: about 0.5 s of sampling for a fast case; slow cases get few samples (the
  // Automerge replays take half a minute each, and the suite should stay near 4 minutes).
  if (seconds >= 5) return { once: true, minSamples: 1, maxTime: 0, warmUps: 0 };
  if (seconds >= 0.5) return { once: false, minSamples: 3, maxTime: 0, warmUps: 0 };
  if (seconds >= 0.1) return { once: false, minSamples: 4, maxTime: 0.3, warmUps: 1 };
  return { once: false, minSamples: 5, maxTime: 0.5, warmUps: 2 };
}

/** What a checking call found: a problem or nothing, and how long the step itself took. */
interface Checked {
  readonly problem: string | undefined;
  readonly seconds: number;
}

/** Runs `step`, returning its result and its duration in seconds. */
function timeStep<T>(step: () => T): [T, number] {
  const started = performance.now();
  const result = step();
  return [result, (performance.now() - started) / 1000];
}

/** Collects garbage as thoroughly as a synchronous caller can. */
function collect(): void {
  globalThis.gc?.();
  globalThis.gc?.();
}

/**
 * One benny case. benny calls the case function once before sampling it; that call runs
 * `check` (the step, timed, then the comparison with the expected text and whatever it
 * records), then the warm-ups. Every later call runs `timed`.
 */
interface Case {
  readonly library: SequenceLibrary;
  readonly check: () => Checked;
  readonly timed: () => void;
  readonly done: (result: Timing | string) => void;
}

/** Runs one benny suite over the cases of one metric. */
async function measure(title: string, cases: readonly Case[], mode: Mode): Promise<void> {
  if (cases.length === 0) return;
  console.log(`\n${title}`);
  const problems = new Map<string, string>();
  const once = new Map<string, Timing>();
  const entries = cases.map((c) => {
    const name = SEQUENCE_LIBRARY_NAMES[c.library];
    // benny reads a case's options after its first call, so the sampling chosen there applies.
    const options: { minSamples?: number; maxTime?: number } = {};
    let checked = false;
    let sampled = true;
    const run = (): void => {
      if (checked) {
        if (sampled) c.timed();
        return;
      }
      checked = true;
      collect();
      let result: Checked;
      try {
        result = c.check();
      } catch (error) {
        result = { problem: `threw: ${message(error)}`, seconds: 0 };
      }
      if (result.problem !== undefined) {
        sampled = false;
        problems.set(name, result.problem);
        console.log(`  ${name}: NOT TIMED: ${result.problem}`);
        Object.assign(options, { minSamples: 1, maxTime: 0 });
        return;
      }
      const chosen = sampling(mode, result.seconds);
      if (chosen.once) {
        sampled = false;
        once.set(name, { seconds: result.seconds, margin: 0, samples: 1 });
        Object.assign(options, { minSamples: 1, maxTime: 0 });
        return;
      }
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
      const checkedRun = once.get(entry.name);
      if (problem !== undefined) {
        entry.c.done(problem);
      } else if (checkedRun !== undefined) {
        entry.c.done(checkedRun);
        console.log(`  ${entry.name}: ${milliseconds(checkedRun.seconds)} ms (1 run: the checked one)`);
      } else {
        const timing = { seconds: 1 / current.ops, margin: current.margin, samples: current.samples };
        entry.c.done(timing);
        const spread = current.samples === 1 ? '1 sample' : `±${current.margin.toFixed(1)}%, ${current.samples} samples`;
        console.log(`  ${entry.name}: ${milliseconds(timing.seconds)} ms (${spread})`);
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
        const [doc, seconds] = timeStep(() => impl.replay(trace));
        collect();
        row(impl.library).heap = process.memoryUsage().heapUsed - before;
        docs.set(impl.library, doc);
        return { problem: wrong('the replayed document', impl.text(doc)), seconds };
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
        const [bytes, seconds] = timeStep(() => impl.encode(doc));
        encoded.set(impl.library, bytes);
        const target = row(impl.library);
        target.bytes = bytes.length;
        target.updateBytes = impl.update(doc).length;
        target.other = (impl.otherEncodings?.(doc) ?? []).map((e) => ({ format: e.format, bytes: e.bytes.length }));
        const loaded = impl.load(bytes);
        const problem = wrong('the document loaded from the encoding', impl.text(loaded));
        free(impl, loaded);
        return { problem, seconds };
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
            const [[doc, text], seconds] = timeStep(() => {
              const loaded = impl.load(bytes);
              return [loaded, impl.text(loaded)] as const;
            });
            free(impl, doc);
            return { problem: wrong('the loaded document', text), seconds };
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
          const [[merged, text], seconds] = timeStep(() => {
            const replica = impl.merge(update);
            return [replica, impl.text(replica)] as const;
          });
          free(impl, merged);
          return { problem: wrong('the merged replica', text), seconds };
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
        const [replicas, seconds] = timeStep(() => impl.replayConcurrent(trace));
        const texts = replicas.map((replica) => impl.text(replica));
        for (const replica of replicas) impl.free?.(replica);
        const bad = texts.findIndex((text) => text !== trace.endContent);
        const problem =
          bad === -1
            ? undefined
            : `agent ${bad}'s replica holds ${texts[bad]?.length ?? 0} characters, ` +
              `not the trace's ${trace.endContent.length}` +
              (texts[bad]?.length === trace.endContent.length ? ' (same length, different text)' : '');
        return { problem, seconds };
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

/** A run's figures as saved beside its report, so that `--from=` can redraw both. */
interface SavedRun {
  readonly info: RunInfo;
  readonly rows: readonly Row[];
}

function isSavedRun(value: unknown): value is SavedRun {
  if (typeof value !== 'object' || value === null) return false;
  if (!('info' in value) || !('rows' in value) || !Array.isArray(value.rows)) return false;
  const info: unknown = value.info;
  return typeof info === 'object' && info !== null && 'traces' in info && Array.isArray(info.traces);
}

/** Writes the report to `out`, and beside it the chart (.svg) and the figures (.json). */
function save(out: string, saved: SavedRun): void {
  const base = out.replace(/\.md$/, '');
  const chartPath = `${base}.svg`;
  const markdown = report(saved.info, saved.rows, basename(chartPath));
  console.log(`\n${markdown}`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown);
  writeFileSync(chartPath, chart(saved.rows, saved.info.traces));
  writeFileSync(`${base}.json`, `${JSON.stringify(saved, null, 1)}\n`);
  console.log(`written to ${out}, ${chartPath} and ${base}.json`);
}

/**
 * Runs the suite: every selected trace and library, then the report and the chart.
 * @throws {Error} when a flag is malformed or a trace cannot be read.
 */
export async function run(options: SuiteOptions): Promise<void> {
  const mode: Mode = options.full ? 'full' : options.quick ? 'quick' : 'default';
  const outArg = flagValue(options.args, 'out');
  const from = flagValue(options.args, 'from');
  if (from !== undefined) {
    const saved: unknown = JSON.parse(readFileSync(resolve(from), 'utf8'));
    if (!isSavedRun(saved)) throw new Error(`--from=${from} is not a figures file this suite wrote`);
    save(outArg !== undefined ? resolve(outArg) : resolve(from).replace(/\.json$/, '.md'), saved);
    return;
  }
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
  const out = outArg !== undefined ? resolve(outArg) : mode === 'quick' ? undefined : resolve(here, '..', 'results', 'sequence.md');

  const date = new Date().toISOString();
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

  const info: RunInfo = {
    date,
    machine: machine(),
    versions: versions(chosen),
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
  };
  if (out === undefined) {
    console.log(`\n${report(info, rows, undefined)}`);
    console.log('quick run: report not saved (give --out= to save it)');
    return;
  }
  save(out, { info, rows });
}
