/**
 * The contract between `bench/run.ts` and each benchmark suite. A suite is a module
 * (`bench/<suite>/run.ts`) exporting `run(options)`, and optionally the flags and
 * library names it accepts so that `bench/run.ts` can reject a mistyped one:
 *
 * ```ts
 * export const flags = ['--trace='];
 * export const libraries = ['tandem', 'yjs'];
 * export async function run(options: SuiteOptions): Promise<void> { ... }
 * ```
 */

/** What every suite is told by `npm run bench`. */
export interface SuiteOptions {
  /** `--quick`: a short run for development, under a minute per suite; results are not saved unless `--out=` says where. */
  readonly quick: boolean;
  /** `--full`: the long run (more sizes, more samples). */
  readonly full: boolean;
  /**
   * `--only=`: the libraries named, or `undefined` for every library. A suite runs the
   * named libraries it knows and ignores the others.
   */
  readonly only: readonly string[] | undefined;
  /** The suite's own flags from the command line (those its `flags` export lists). */
  readonly args: readonly string[];
  /** The command line as typed, for the report. */
  readonly command: string;
}

/** A suite module as `bench/run.ts` loads it. */
export interface Suite {
  /** Flags the suite takes besides the shared ones, e.g. `--family=` (a trailing `=` takes a value). */
  readonly flags?: readonly string[];
  /** The library names `--only=` may give this suite. */
  readonly libraries?: readonly string[];
  run(options: SuiteOptions): Promise<void>;
}

/**
 * The libraries a suite runs: all of `known` without `--only=`, else those named.
 */
export function pickLibraries<T extends string>(known: readonly T[], only: readonly string[] | undefined): T[] {
  return only === undefined ? [...known] : known.filter((library) => only.includes(library));
}

/** The value of `--name=value` among `args`, or undefined. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const prefix = `--${flag}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/**
 * A comma-separated list flag, each name checked against `allowed`; all of `allowed`
 * when the flag is absent.
 * @throws {Error} naming the allowed values when a name is unknown or the list is empty.
 */
export function listFlag<T extends string>(
  args: readonly string[],
  flag: string,
  allowed: readonly T[],
): readonly T[] {
  const value = flagValue(args, flag);
  if (value === undefined) return allowed;
  const picked = value.split(',').filter((name) => name !== '');
  const isAllowed = (name: string): name is T => (allowed as readonly string[]).includes(name);
  const unknown = picked.filter((name) => !isAllowed(name));
  if (unknown.length > 0 || picked.length === 0) {
    throw new Error(`--${flag} takes a comma-separated list of: ${allowed.join(', ')}`);
  }
  return allowed.filter((name) => picked.includes(name));
}
