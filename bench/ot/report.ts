/**
 * The OT report: machine and versions, one table per op family comparing Tandem with
 * each peer per operation and document size, the trace replay, and the targets.
 */
import { machine, packageVersion } from '../environment.js';
import { OT_LIBRARIES, OT_LIBRARY_NAMES, OT_LIBRARY_PACKAGES, type OTLibrary } from './interfaces.js';
import type { ReplayResult } from './trace.js';
import { POOL } from './workloads.js';

export type { ReplayResult } from './trace.js';

/**
 * Ops per second of one library on one case: the mean over benny's samples with its margin
 * of error (percent, 95%), and the median by CPU time of the rounds in which the libraries
 * took turns (`interleavedOpsPerSecond`).
 */
export interface Measurement {
  readonly library: OTLibrary;
  readonly opsPerSecond: number;
  readonly interleavedOpsPerSecond: number;
  readonly margin: number;
  readonly samples: number;
}

/** Everything one run measured. */
export interface OTRun {
  readonly date: Date;
  readonly command: string;
  readonly mode: string;
  readonly seconds: number;
  readonly libraries: readonly OTLibrary[];
  readonly measured: readonly {
    readonly family: 'text' | 'rich text';
    readonly size: string;
    readonly operation: 'apply' | 'compose' | 'transform';
    readonly results: readonly Measurement[];
    readonly problems: ReadonlyMap<OTLibrary, string>;
  }[];
  readonly replays: readonly ReplayResult[];
}

/** 1234567 → "1.23 M": three significant digits. */
function si(n: number): string {
  for (const [scale, unit] of [[1e9, ' G'], [1e6, ' M'], [1e3, ' k']] as const) {
    if (n >= scale) return `${(n / scale).toPrecision(3)}${unit}`;
  }
  return n.toPrecision(3);
}

/** A ratio to two or three significant digits, never rounded up across 1. */
function ratioText(ratio: number): string {
  if (ratio < 1) return (Math.floor(ratio * 100) / 100).toFixed(2);
  return ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1);
}

function ratioOf(results: readonly Measurement[], peer: OTLibrary, best = false): number | undefined {
  const ours = results.find((m) => m.library === 'tandem');
  const theirs = results.find((m) => m.library === peer);
  if (ours === undefined || theirs === undefined) return undefined;
  return best ? ours.interleavedOpsPerSecond / theirs.interleavedOpsPerSecond : ours.opsPerSecond / theirs.opsPerSecond;
}

function ratioCell(results: readonly Measurement[], peer: OTLibrary): string {
  const mean = ratioOf(results, peer);
  const best = ratioOf(results, peer, true);
  if (mean === undefined || best === undefined) return '';
  const text = (r: number): string => (r < 1 ? `**${ratioText(r)}**` : ratioText(r));
  return `${text(mean)} (${text(best)})`;
}

function table(run: OTRun, family: 'text' | 'rich text'): string {
  const rows = run.measured.filter((m) => m.family === family);
  const libraries = OT_LIBRARIES.filter((library) => rows.some((row) => row.results.some((m) => m.library === library)));
  const peers = libraries.filter((library) => library !== 'tandem');
  const lines = [
    `| Operation | Document | ${libraries.map((l) => `${OT_LIBRARY_NAMES[l]} ops/s`).join(' | ')} | ${peers.map((p) => `× ${OT_LIBRARY_NAMES[p]}`).join(' | ')} |`,
    `| --- | --- | ${libraries.map(() => '---:').join(' | ')} | ${peers.map(() => '---:').join(' | ')} |`,
  ];
  const notes = new Set<string>();
  for (const row of rows) {
    const cells = libraries.map((library) => {
      const m = row.results.find((x) => x.library === library);
      const problem = row.problems.get(library);
      if (problem !== undefined) notes.add(`${OT_LIBRARY_NAMES[library]}: ${problem}; not timed.`);
      return m === undefined
        ? problem !== undefined
          ? 'wrong result'
          : ''
        : `${si(m.opsPerSecond)} ±${m.margin.toFixed(1)}% (${si(m.interleavedOpsPerSecond)})`;
    });
    const ratios = peers.map((peer) => ratioCell(row.results, peer));
    lines.push(`| ${row.operation} | ${row.size} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  return [lines.join('\n'), ...notes].join('\n\n');
}

function replayTable(replays: readonly ReplayResult[]): string {
  const lines = ['| Library | Document | Patches replayed | Seconds | Patches/s | Result |', '| --- | --- | ---: | ---: | ---: | --- |'];
  for (const r of replays) {
    const result = r.correct === undefined ? `stopped at the time budget (${((100 * r.patches) / r.totalPatches).toFixed(0)}% of the trace)` : r.correct ? 'final text matches' : '**wrong final text**';
    lines.push(`| ${OT_LIBRARY_NAMES[r.library]} | ${r.document} | ${r.patches.toLocaleString('en')} | ${r.seconds.toFixed(2)} | ${si(r.patches / r.seconds)} | ${result} |`);
  }
  return lines.join('\n');
}

/** The targets of issue 4: ≥ 2× ot-text-unicode on transform and compose, ≥ 10× quill-delta. */
function targets(run: OTRun): string {
  const lines: string[] = [];
  const check = (peer: OTLibrary, factor: number, operations: readonly string[]): void => {
    for (const row of run.measured) {
      if (!operations.includes(row.operation)) continue;
      const ratio = ratioOf(row.results, peer);
      const best = ratioOf(row.results, peer, true);
      if (ratio === undefined || best === undefined) continue;
      const verdict = ratio >= factor && best >= factor ? 'met' : ratio >= factor || best >= factor ? '**met on one measure only**' : '**missed**';
      lines.push(
        `- ${verdict}: ${row.family} ${row.operation}, ${row.size}: ${ratioText(ratio)}× ${OT_LIBRARY_NAMES[peer]} ` +
          `by mean, ${ratioText(best)}× by CPU-time median of interleaved rounds (target ${factor}×)`,
      );
    }
  };
  check('ot-text-unicode', 2, ['transform', 'compose']);
  check('quill-delta', 10, ['apply', 'compose', 'transform']);
  return lines.length === 0 ? 'Not checked: the run did not include Tandem and those peers.' : lines.join('\n');
}

/** The whole report, Markdown. */
export function report(run: OTRun): string {
  const versions = run.libraries.map((l) => `${OT_LIBRARY_NAMES[l]} ${packageVersion(OT_LIBRARY_PACKAGES[l])}`).join(', ');
  return [
    '# OT throughput',
    '',
    'Apply, compose and transform on random ops, Tandem (`tandem/ot`) beside ot-text-unicode,',
    'quill-delta and ot.js, all in one process; then the automerge-paper editing trace replayed',
    'as ops. Written by the OT suite (`bench/ot/run.ts`); bench/README.md says how to run it.',
    '',
    `- Date: ${run.date.toISOString()}`,
    `- Command: \`${run.command}\` (${run.mode}; took ${Math.round(run.seconds)} s)`,
    `- Machine: ${machine()}`,
    `- Versions: ${versions}; timed with benny ${packageVersion('benny')}`,
    '',
    'Workloads (bench/ot/workloads.ts, fixed seed): ASCII documents of 1 KB and 100 KB; each',
    `pool holds ${POOL} ops making 1 to 20 edits each at random places (inserts and deletes of`,
    '1 to 10 characters; in rich text also formatting of up to 50 characters and formatted',
    'inserts, on documents of formatted runs of 5 to 200 characters). apply: each op on the',
    'document; compose: op pairs where the second follows the first; transform: concurrent',
    "pairs, the first rewritten to follow the second (`transform(a, b, 'left')`). Every",
    'library gets ops converted to its own form before timing; apply and compose results are',
    "checked against Tandem's first. Ops/s counts ops applied, pairs composed, or ops",
    'transformed; ot.js transforms both ops of a pair in one call, which counts as two.',
    '“× peer” is how many times the peer’s throughput Tandem reached. Each cell gives the mean',
    'over benny’s samples (wall time), ± its margin of error at 95% confidence, and in',
    'parentheses the median rate by CPU time over rounds of 20 ms in which the libraries took',
    'turns after benny, in reverse order every other round (and the ratio of those): CPU time',
    'leaves out the time the process waits while others run, and taking turns gives every',
    'library the same share of the rest, so on a machine shared with other work the median',
    'compares the code rather than the load.',
    '',
    '## Plain text',
    '',
    table(run, 'text'),
    '',
    'quill-delta here runs the same plain-text ops as Delta objects (apply is composing the',
    'document Delta with the op).',
    '',
    '## Rich text',
    '',
    table(run, 'rich text'),
    '',
    '## Trace replay: automerge-paper',
    '',
    'Each of the 259,778 patches becomes one op applied to the document. Tandem keeps the',
    'document in a `Rope` (a B-tree of 1 KiB chunks), and for comparison in a string with',
    '`text.apply`; ot-text-unicode and ot.js apply to a string, quill-delta composes a',
    'document Delta. A replay stops at its time budget and then reports its throughput over',
    'the patches it reached.',
    '',
    run.replays.length === 0 ? 'Not run (--no-trace).' : replayTable(run.replays),
    '',
    '## Targets',
    '',
    targets(run),
    '',
  ].join('\n');
}
