/**
 * The sequence suite's report: the machine and versions, one table per trace, the
 * formats each library was measured with, and the targets checked against this
 * run's figures.
 */
import { packageVersion } from '../environment.js';
import {
  SEQUENCE_LIBRARIES,
  SEQUENCE_LIBRARY_NAMES,
  SEQUENCE_LIBRARY_PACKAGES,
  type SequenceLibrary,
} from './interfaces.js';

/** What is timed. */
export type Metric = 'replay' | 'encode' | 'load' | 'merge' | 'concurrent';

/** One case's timing: mean seconds per run, benchmark.js' relative margin (%) and samples. */
export interface Timing {
  readonly seconds: number;
  readonly margin: number;
  readonly samples: number;
}

/** Everything measured for one library on one trace; filled in as the cases finish. */
export interface Row {
  readonly library: SequenceLibrary;
  readonly trace: string;
  readonly kind: 'sequential' | 'concurrent';
  readonly timings: Partial<Record<Metric, Timing>>;
  /** Why a metric has no timing. */
  readonly problems: Partial<Record<Metric, string>>;
  /** JS heap used after the replay, less before it, after forced collections; the document alive. */
  heap?: number;
  /** Bytes of the whole-document encoding that `load` reads. */
  bytes?: number;
  /** Bytes of the whole update that `merge` applies. */
  updateBytes?: number;
  /** Sizes of other encodings of the whole document. */
  other: readonly { readonly format: string; readonly bytes: number }[];
}

/** A trace as the report describes it. */
export interface TraceInfo {
  readonly name: string;
  readonly kind: 'sequential' | 'concurrent';
  readonly txns: number;
  readonly patches: number;
  /** Characters of the final text. */
  readonly length: number;
}

/** Everything the report's heading and notes state. */
export interface RunInfo {
  /** When the run started, ISO 8601. */
  readonly date: string;
  /** The machine, as `machine()` in bench/environment.ts describes it. */
  readonly machine: string;
  /** Each library's version, and benny's, as {@link versions} lists them. */
  readonly versions: string;
  readonly command: string;
  readonly mode: string;
  readonly seconds: number;
  /** The libraries asked for. */
  readonly libraries: readonly SequenceLibrary[];
  /** Those whose implementation could not be loaded. */
  readonly missing: readonly SequenceLibrary[];
  readonly traces: readonly TraceInfo[];
  /** Library-specific caveats. */
  readonly notes: readonly string[];
  readonly formats: readonly {
    readonly library: SequenceLibrary;
    readonly type: string;
    readonly format: string;
    readonly updateFormat: string;
  }[];
}

/** Milliseconds to three significant digits. */
export function milliseconds(seconds: number): string {
  const ms = seconds * 1000;
  return ms >= 1000 ? ms.toFixed(0) : ms.toPrecision(3);
}

/** A byte count in kB (1000 bytes), three significant digits, or MB from 10 MB up. */
export function kilobytes(bytes: number): string {
  const kb = bytes / 1000;
  if (Math.abs(kb) >= 10_000) return `${(kb / 1000).toPrecision(3)} MB`;
  return `${Math.abs(kb) >= 1000 ? kb.toFixed(0) : kb.toPrecision(3)} kB`;
}

/** A ratio to two or three significant digits, never rounded up across 1. */
function ratioText(ratio: number): string {
  if (ratio < 1) return (Math.floor(ratio * 100) / 100).toFixed(2);
  return ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1);
}

const NOT_MEASURED = '—';

/** Libraries whose documents live in WebAssembly memory, outside the JS heap. */
const WEBASSEMBLY: ReadonlySet<SequenceLibrary> = new Set(['automerge', 'loro', 'diamond-types']);

function timingCell(row: Row, metric: Metric, note: (problem: string) => string): string {
  const timing = row.timings[metric];
  if (timing !== undefined) return milliseconds(timing.seconds);
  const problem = row.problems[metric];
  return problem === undefined ? NOT_MEASURED : note(problem);
}

function marginCell(timing: Timing | undefined): string {
  if (timing === undefined) return '';
  return timing.samples === 1 ? '1 run' : `${timing.margin.toFixed(1)}% (${timing.samples})`;
}

function libraryCell(library: SequenceLibrary): string {
  const name = SEQUENCE_LIBRARY_NAMES[library];
  return library === 'tandem' ? `**${name}**` : name;
}

/** One sequential trace's table. */
function sequentialTable(trace: TraceInfo, rows: readonly Row[]): string {
  const notes: string[] = [];
  const note = (problem: string): string => {
    if (!notes.includes(problem)) notes.push(problem);
    return `not measured [${notes.indexOf(problem) + 1}]`;
  };
  const lines = [
    '| Library | Replay ms | ± (samples) | JS heap | Encode ms | Encoded | Load ms | Merge ms | Update merged |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const other = row.other.map((o) => `${o.format} ${kilobytes(o.bytes)}`).join(', ');
    const bytes = row.bytes === undefined ? '' : kilobytes(row.bytes) + (other === '' ? '' : ` (${other})`);
    lines.push(
      [
        libraryCell(row.library),
        timingCell(row, 'replay', note),
        marginCell(row.timings.replay),
        row.heap === undefined ? '' : `${kilobytes(row.heap)}${WEBASSEMBLY.has(row.library) ? ' †' : ''}`,
        timingCell(row, 'encode', note),
        bytes,
        timingCell(row, 'load', note),
        timingCell(row, 'merge', note),
        row.updateBytes === undefined ? '' : kilobytes(row.updateBytes),
      ]
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    );
  }
  const footnotes = notes.map((problem, index) => `[${index + 1}] ${problem}`).join('  \n');
  const webAssembly = rows.some((row) => row.heap !== undefined && WEBASSEMBLY.has(row.library));
  return [
    `### ${trace.name}`,
    `${trace.txns.toLocaleString('en')} transactions, ${trace.patches.toLocaleString('en')} patches, ` +
      `${trace.length.toLocaleString('en')} characters at the end.`,
    lines.join('\n'),
    ...(notes.length > 0 ? [footnotes] : []),
    ...(webAssembly ? ['† WebAssembly: the document lives outside the JS heap; the figure is the JavaScript wrapper only.'] : []),
  ].join('\n\n');
}

/** The table of every concurrent trace. */
function concurrentTable(traces: readonly TraceInfo[], rows: readonly Row[]): string {
  const notes: string[] = [];
  const note = (problem: string): string => {
    if (!notes.includes(problem)) notes.push(problem);
    return `not measured [${notes.indexOf(problem) + 1}]`;
  };
  const lines = ['| Trace | Library | Replay ms | ± (samples) |', '| --- | --- | ---: | ---: |'];
  for (const trace of traces) {
    rows
      .filter((row) => row.trace === trace.name)
      .forEach((row, index) => {
        lines.push(
          `| ${index === 0 ? trace.name : ''} | ${libraryCell(row.library)} | ` +
            `${timingCell(row, 'concurrent', note)} | ${marginCell(row.timings.concurrent)} |`,
        );
      });
  }
  const footnotes = notes.map((problem, index) => `[${index + 1}] ${problem}`).join('  \n');
  return [
    '### Concurrent replay',
    traces
      .map((t) => `${t.name}: ${t.txns.toLocaleString('en')} transactions, ${t.length.toLocaleString('en')} characters at the end.`)
      .join(' '),
    lines.join('\n'),
    ...(notes.length > 0 ? [footnotes] : []),
  ].join('\n\n');
}

/** How many times faster (or smaller) `ours` is than `theirs`, for a lower-is-better figure. */
function versus(ours: number | undefined, theirs: number | undefined): number | undefined {
  return ours === undefined || theirs === undefined || ours <= 0 ? undefined : theirs / ours;
}

/** The targets, checked trace by trace. */
function targets(rows: readonly Row[], traces: readonly TraceInfo[]): string {
  const find = (trace: string, library: SequenceLibrary): Row | undefined =>
    rows.find((row) => row.trace === trace && row.library === library);
  const lines: string[] = [];
  for (const trace of traces.filter((t) => t.kind === 'sequential')) {
    const tandem = find(trace.name, 'tandem');
    const yjs = find(trace.name, 'yjs');
    const jsonJoy = find(trace.name, 'json-joy');
    const dt = find(trace.name, 'diamond-types');
    if (tandem === undefined) continue;
    /** A lower-is-better comparison: met when `ours` × `goal` ≤ `theirs`. */
    const check = (
      what: string,
      ours: number | undefined,
      theirs: number | undefined,
      goal: number,
      unit: 'time' | 'size',
    ): string => {
      const ratio = versus(ours, theirs);
      if (ours === undefined || theirs === undefined || ratio === undefined) {
        return `- ${what}: not checked (a figure is missing)`;
      }
      const met = ratio >= goal;
      const shown =
        unit === 'time'
          ? `${milliseconds(ours)} ms against ${milliseconds(theirs)} ms: ${ratioText(ratio)}× as fast`
          : `${kilobytes(ours)} against ${kilobytes(theirs)}: ${(1 / ratio).toFixed(2)}× the size`;
      return `- ${what}: ${met ? 'met' : '**missed**'} (${shown})`;
    };
    /** A time comparison, saying when a miss lies within the two margins of error. */
    const race = (what: string, ours: Timing | undefined, theirs: Timing | undefined, goal: number): string => {
      const line = check(what, ours?.seconds, theirs?.seconds, goal, 'time');
      if (ours === undefined || theirs === undefined || !line.includes('**missed**')) return line;
      const fastest = (t: Timing): number => t.seconds * (1 - t.margin / 100);
      const slowest = (t: Timing): number => t.seconds * (1 + t.margin / 100);
      const noise = fastest(ours) * goal <= slowest(theirs) && ours.samples > 1 && theirs.samples > 1;
      return noise ? `${line.slice(0, -1)}, within the margins of error)` : line;
    };
    lines.push(
      `**${trace.name}**`,
      '',
      race('replay at least 5× as fast as Yjs', tandem.timings.replay, yjs?.timings.replay, 5),
      race('replay faster than json-joy', tandem.timings.replay, jsonJoy?.timings.replay, 1),
      check('encoding no larger than Yjs’ V2 update', tandem.bytes, yjs?.bytes, 1, 'size'),
      race('load no slower than Yjs', tandem.timings.load, yjs?.timings.load, 1),
      race('replay against diamond-types', tandem.timings.replay, dt?.timings.replay, 1),
      check('encoding against diamond-types', tandem.bytes, dt?.bytes, 1, 'size'),
      race('load against diamond-types', tandem.timings.load, dt?.timings.load, 1),
      '',
    );
  }
  if (lines.length === 0) return 'Not checked: the run did not include Tandem on a sequential trace.';
  return lines.join('\n').trimEnd();
}

const GENERAL_NOTES = [
  'Times are benchmark.js means (via benny) in milliseconds; ± is the relative margin of ' +
    'error at 95% confidence with the number of samples. A step that took 5 s or more ' +
    '(Automerge’s replays, Loro’s concurrent replay) is timed once, by the run whose result ' +
    'was then checked (“1 run”, no margin); on a busy machine such a figure can be off by ' +
    'a factor of two. Replay of sequential traces applies every ' +
    'transaction as a local edit, as one transaction, change or commit where the library has ' +
    'them. Load and merge include reading the whole text afterwards, so that a library that ' +
    'decodes lazily (Loro) pays for what it deferred.',
  'JS heap is `process.memoryUsage().heapUsed` after the replay less before it, each after ' +
    'forced collections, with the replayed document alive. Automerge, Loro and diamond-types ' +
    'keep their documents in WebAssembly memory, outside the JS heap, so their figure is only ' +
    'the JavaScript wrapper: it is not comparable with the JavaScript libraries’.',
  'Kilobytes are 1000 bytes. “Encoded” is the whole document in the form `load` reads ' +
    '(other encodings in brackets); “Update merged” is the update `merge` applies to an empty ' +
    'replica.',
];

/** The installed versions of `libraries` and of benny, one line. */
export function versions(libraries: readonly SequenceLibrary[]): string {
  const installed = SEQUENCE_LIBRARIES.filter((library) => libraries.includes(library))
    .map((library) => `${SEQUENCE_LIBRARY_NAMES[library]} ${packageVersion(SEQUENCE_LIBRARY_PACKAGES[library])}`)
    .join(', ');
  return `${installed}; timed with benny ${packageVersion('benny')}`;
}

/** The whole report, Markdown; `chartFile` is the chart's file name beside it, if any. */
export function report(info: RunInfo, rows: readonly Row[], chartFile: string | undefined): string {
  const sequentialTraces = info.traces.filter((trace) => trace.kind === 'sequential');
  const concurrentTraces = info.traces.filter((trace) => trace.kind === 'concurrent');
  const formatLines = [
    '| Library | Type | Encoded (load) | Update merged |',
    '| --- | --- | --- | --- |',
    ...info.formats.map(
      (f) => `| ${SEQUENCE_LIBRARY_NAMES[f.library]} | ${f.type} | ${f.format} | ${f.updateFormat} |`,
    ),
  ];
  return [
    '# Sequence CRDTs on real editing traces',
    '',
    'Tandem’s `Text` beside Yjs, Automerge, Loro, json-joy and diamond-types, replaying real',
    'editing traces in one process. Written by `npm run bench` (suite `sequence`);',
    'bench/README.md says what is measured and how.',
    '',
    `- Date: ${info.date}`,
    `- Command: \`${info.command}\` (${info.mode}; the suite took ${Math.round(info.seconds)} s)`,
    `- Machine: ${info.machine}`,
    `- Versions: ${info.versions}`,
    ...(info.missing.length > 0
      ? [`- Not available in this run: ${info.missing.map((l) => SEQUENCE_LIBRARY_NAMES[l]).join(', ')}`]
      : []),
    ...(chartFile !== undefined ? ['', `![Bar chart of the tables below](${chartFile})`] : []),
    '',
    '## Results',
    '',
    ...sequentialTraces.flatMap((trace) => [
      sequentialTable(
        trace,
        rows.filter((row) => row.trace === trace.name),
      ),
      '',
    ]),
    ...(concurrentTraces.length > 0
      ? [concurrentTable(concurrentTraces, rows.filter((row) => row.kind === 'concurrent')), '']
      : []),
    '## Formats',
    '',
    formatLines.join('\n'),
    '',
    '## Notes',
    '',
    ...[...GENERAL_NOTES, ...info.notes].map((note) => `- ${note}`),
    '',
    '## Targets',
    '',
    targets(rows, info.traces),
    '',
  ].join('\n');
}
