/**
 * `npm run bench [-- flags]`: every benchmark suite, one after another, in one process.
 *
 *   --suite=crdt,sequence,ot,sync  suites to run (default: all of them)
 *   --quick                   a short run of each suite for development, results not saved
 *   --full                    the long run of each suite
 *   --only=tandem,yjs         libraries to run; each suite runs those it knows
 *
 * and each suite's own flags (bench/README.md lists them): crdt takes --family= and
 * --out=, sequence takes --trace= and --out= (--out= needs a single suite).
 *
 * Each suite is a module exporting `run(options)` (`bench/suite.ts`). The OT suite lives
 * in bench/ot/run.ts; until that module exists, the run says so and goes on.
 */
import type { Suite, SuiteOptions } from './suite.js';

/** The suites, in the order they run. */
const SUITES = ['crdt', 'sequence', 'ot', 'sync'] as const;
type SuiteName = (typeof SUITES)[number];

const SHARED_FLAGS = ['--suite=', '--quick', '--full', '--only='];

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isSuite(module: unknown): module is Suite {
  return (
    typeof module === 'object' &&
    module !== null &&
    'run' in module &&
    typeof module.run === 'function'
  );
}

/**
 * Loads a suite's module, or says why it cannot run. The OT suite is imported through a
 * computed specifier so that this file type-checks whether or not bench/ot/run.ts exists.
 */
async function load(name: SuiteName): Promise<Suite | string> {
  try {
    switch (name) {
      case 'crdt':
        return await import('./crdt/run.js');
      case 'sequence':
        return await import('./sequence/run.js');
      case 'sync':
        return await import('./sync/run.js');
      case 'ot': {
        const specifier = './ot/run.js';
        const module: unknown = await import(specifier);
        return isSuite(module) ? module : 'bench/ot/run.ts does not export run(options)';
      }
    }
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'ERR_MODULE_NOT_FOUND' && name === 'ot') return 'bench/ot/run.ts does not exist yet';
    throw error;
  }
}

function matches(arg: string, flag: string): boolean {
  return flag.endsWith('=') ? arg.startsWith(flag) : arg === flag;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const suiteArg = args.find((arg) => arg.startsWith('--suite='));
  const names: SuiteName[] =
    suiteArg === undefined
      ? [...SUITES]
      : suiteArg
          .slice('--suite='.length)
          .split(',')
          .map((name) => {
            const known = SUITES.find((suite) => suite === name);
            if (known === undefined) throw new Error(`--suite= takes a comma-separated list of: ${SUITES.join(', ')}`);
            return known;
          });
  if (globalThis.gc === undefined) {
    console.log('note: run through `npm run bench` (node --expose-gc) to collect garbage between cases');
  }

  const loaded: [SuiteName, Suite | string][] = [];
  for (const name of names) loaded.push([name, await load(name)]);
  const suites = loaded.flatMap(([, suite]) => (typeof suite === 'string' ? [] : [suite]));

  const own = args.filter((arg) => !SHARED_FLAGS.some((flag) => matches(arg, flag)));
  const stray = own.filter((arg) => !suites.some((suite) => (suite.flags ?? []).some((flag) => matches(arg, flag))));
  if (stray.length > 0) throw new Error(`unknown argument(s) for the suites chosen: ${stray.join(' ')}`);
  if (own.some((arg) => arg.startsWith('--out=')) && names.length !== 1) {
    throw new Error('--out= names one report: choose a single suite with --suite=');
  }

  const onlyArg = args.find((arg) => arg.startsWith('--only='));
  const only = onlyArg?.slice('--only='.length).split(',').filter((name) => name !== '');
  if (only !== undefined && suites.every((suite) => suite.libraries !== undefined)) {
    const known = new Set(suites.flatMap((suite) => suite.libraries ?? []));
    const unknown = only.filter((name) => !known.has(name));
    if (unknown.length > 0 || only.length === 0) {
      throw new Error(`--only= takes a comma-separated list of: ${[...known].join(', ')}`);
    }
  }

  const command = ['npm run bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
  for (const [name, suite] of loaded) {
    console.log(`\n=== ${name} suite ===`);
    if (typeof suite === 'string') {
      console.log(`${name} suite: not available: ${suite}`);
      continue;
    }
    const options: SuiteOptions = {
      quick: args.includes('--quick'),
      full: args.includes('--full'),
      only,
      args: own.filter((arg) => (suite.flags ?? []).some((flag) => matches(arg, flag))),
      command,
    };
    const started = performance.now();
    await suite.run(options);
    console.log(`${name} suite took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${message(error)}`);
  process.exitCode = 1;
}
