/**
 * The CRDT merge suite (`npm run bench -- --suite=crdt`): merge throughput and encoded
 * size for every Tandem CRDT type beside Yjs, Automerge and Loro, timed with benny;
 * prints each case as it finishes, then the tables, and writes them to
 * bench/results/crdt-merge.md.
 *
 *   --full                    more sizes (10k elements, 10k replicas) and more samples
 *   --quick                   1k elements and 1k replicas, few samples; nothing saved
 *                             unless --out= is given
 *   --only=yjs,automerge,loro libraries to run (tandem, yjs, automerge, loro)
 *   --family=counter,set      families to run (counter, map, set, register)
 *   --out=path                where to write the report (default bench/results/crdt-merge.md)
 */
import { add, configure, cycle, suite } from 'benny';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flagValue, listFlag, pickLibraries, type SuiteOptions } from '../suite.js';
import {
  LIBRARIES,
  LIBRARY_NAMES,
  type Library,
  type LibraryImplementations,
} from './interfaces.js';
import { report, si, type Result } from './report.js';
import { FAMILIES, scenarios, type FamilyName, type Scenario, type Sizes } from './scenarios.js';

/** The flags this suite takes besides the shared ones. */
export const flags: readonly string[] = ['--family=', '--out='];

/** The libraries `--only=` may name. */
export const libraries: readonly string[] = LIBRARIES;

interface Options {
  readonly full: boolean;
  readonly quick: boolean;
  readonly libraries: readonly Library[];
  readonly families: readonly FamilyName[];
  /** Where the report goes; undefined for a quick run without --out=. */
  readonly out: string | undefined;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Untimed merges before each case's samples. */
const WARM_UP_RUNS = 2;

function parse(options: SuiteOptions): Options {
  const out = flagValue(options.args, 'out');
  return {
    full: options.full,
    quick: options.quick,
    libraries: pickLibraries(LIBRARIES, options.only),
    families: listFlag(options.args, 'family', FAMILIES),
    out:
      out !== undefined
        ? resolve(out)
        : options.quick
          ? undefined
          : resolve(here, '..', 'results', 'crdt-merge.md'),
  };
}

async function load(library: Library): Promise<LibraryImplementations> {
  switch (library) {
    case 'tandem':
      return (await import('./implementations/tandem.js')).implementations;
    case 'yjs':
      return (await import('./implementations/yjs.js')).implementations;
    case 'automerge':
      return (await import('./implementations/automerge.js')).implementations;
    case 'loro':
      return (await import('./implementations/loro.js')).implementations;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** benchmark.js' sampling: at least `minSamples` samples, then sampling for `maxTime` s. */
interface TimingOptions {
  readonly minSamples: number;
  readonly maxTime: number;
}

/** Encodes, checks and times every case of one scenario; logs each step as it goes. */
async function measure(scenario: Scenario, timing: Sizes & TimingOptions): Promise<Result[]> {
  const title = `${scenario.family}: ${scenario.name}`;
  console.log(`\n${title} (${si(scenario.ops)} ops)`);
  const results: Result[] = [];
  const timed: { name: string; run: () => number; result: (t: Result['timing']) => void }[] = [];
  for (const c of scenario.cases) {
    const name = `${LIBRARY_NAMES[c.library]} ${c.type}`;
    const who = { scenario, library: c.library, type: c.type };
    if (c.skipped !== undefined) {
      console.log(`  ${name}: skipped: ${c.skipped}`);
      results.push({ ...who, problem: `skipped: ${c.skipped}` });
      continue;
    }
    const started = performance.now();
    try {
      const prepared = c.prepare();
      const problem = prepared.check();
      const perElement = (prepared.bytes / scenario.ops).toFixed(2);
      console.log(
        `  ${name}: ${prepared.bytes} bytes (${perElement}/element), encoded and merged in ` +
          seconds(started) +
          (problem === undefined ? ', result checked' : `, WRONG RESULT: ${problem}`),
      );
      if (problem !== undefined) {
        results.push({ ...who, bytes: prepared.bytes, problem: `wrong result: ${problem}` });
        continue;
      }
      const index = results.length;
      results.push({ ...who, bytes: prepared.bytes });
      timed.push({
        name,
        run: prepared.run,
        result: (t) => {
          const done = results[index];
          if (done !== undefined && t !== undefined) results[index] = { ...done, timing: t };
        },
      });
    } catch (error) {
      console.log(`  ${name}: FAILED: ${message(error)}`);
      results.push({ ...who, problem: message(error) });
    }
    globalThis.gc?.();
  }
  if (timed.length === 0) return results;

  // Every merge's summary feeds `sink`, so that no merge can be optimized away.
  let sink = 0;
  await suite(
    title,
    configure({
      cases: {
        initCount: 1,
        minSamples: timing.minSamples,
        maxTime: timing.maxTime,
      },
    }),
    ...timed.map(({ name, run }) =>
      add(name, () => {
        // Untimed setup, the same for every case: collect garbage, then merge twice so
        // the JIT and the heap have settled. Without it the first case of each suite ran
        // 15-20% slower than the same code placed second.
        globalThis.gc?.();
        for (let i = 0; i < WARM_UP_RUNS; i++) sink += run();
        return () => {
          sink += run();
        };
      }),
    ),
    cycle((current) => {
      const entry = timed.find((t) => t.name === current.name);
      entry?.result({ hz: current.ops, margin: current.margin, samples: current.samples });
      console.log(
        `  ${current.name}: ${si(current.ops * scenario.ops)} ops merged/s ` +
          `(${si(current.ops)} merges/s ±${current.margin.toFixed(1)}%, ${current.samples} samples)`,
      );
      globalThis.gc?.();
    }),
  );
  return results;
}

/**
 * Runs the suite: every selected scenario, then the report.
 * @throws {Error} when a flag is malformed.
 */
export async function run(suiteOptions: SuiteOptions): Promise<void> {
  const options = parse(suiteOptions);
  if (options.libraries.length === 0) {
    console.log('crdt suite: none of the libraries named with --only= takes part; skipped');
    return;
  }
  const started = performance.now();
  const sizes: Sizes & TimingOptions = options.full
    ? {
        full: true,
        elements: [1_000, 10_000, 100_000],
        replicas: [1_000, 10_000],
        minSamples: 10,
        maxTime: 5,
      }
    : options.quick
      ? { full: false, elements: [1_000], replicas: [1_000], minSamples: 3, maxTime: 0.1 }
      : { full: false, elements: [1_000, 100_000], replicas: [1_000], minSamples: 8, maxTime: 0.6 };
  if (globalThis.gc === undefined) {
    console.log('note: run through `npm run bench` (node --expose-gc) to collect garbage between cases');
  }
  const libraries = await Promise.all(options.libraries.map(load));
  const all = scenarios(libraries, options.families, sizes);
  console.log(
    `${all.length} scenarios, ${all.reduce((n, s) => n + s.cases.length, 0)} cases; ` +
      `libraries: ${options.libraries.map((l) => LIBRARY_NAMES[l]).join(', ')}`,
  );
  const results: Result[] = [];
  for (const scenario of all) results.push(...(await measure(scenario, sizes)));

  const markdown = report(
    {
      date: new Date(),
      command: suiteOptions.command,
      mode: options.full ? 'full run' : options.quick ? 'quick run' : 'default run',
      seconds: (performance.now() - started) / 1000,
      libraries: options.libraries,
    },
    results,
  );
  console.log(`\n${markdown}`);
  if (options.out === undefined) {
    console.log('quick run: report not saved (give --out= to save it)');
    return;
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, markdown);
  console.log(`written to ${options.out}`);
}
