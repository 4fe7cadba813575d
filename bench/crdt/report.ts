/**
 * The report: the machine and versions a run used, and one Markdown table per family
 * comparing each Tandem type with its nearest equivalent in every other library.
 */
import { machine, packageVersion } from '../environment.js';
import { LIBRARIES, LIBRARY_NAMES, LIBRARY_PACKAGES, type Library } from './interfaces.js';
import { FAMILIES, type FamilyName, type Scenario } from './scenarios.js';

/** What one case measured, or why it was not measured. */
export interface Result {
  readonly scenario: Scenario;
  readonly library: Library;
  readonly type: string;
  /** Total bytes of the encoded updates, when encoding succeeded. */
  readonly bytes?: number;
  /** Merges per second, and the relative margin of error (percent) at 95% confidence. */
  readonly timing?: { readonly hz: number; readonly margin: number; readonly samples: number };
  /** Why the case has no timing: it threw, or its merged result was wrong. */
  readonly problem?: string;
}

/** Everything the report's heading states. */
export interface RunInfo {
  readonly date: Date;
  readonly command: string;
  readonly mode: string;
  readonly seconds: number;
  readonly libraries: readonly Library[];
}

const FAMILY_TITLES: Readonly<Record<FamilyName, string>> = {
  counter: 'Counters',
  map: 'Maps',
  set: 'Sets',
  register: 'Registers',
};

const LORO_LAZY =
  'Loro imports a one-replica snapshot lazily: the timed step (import, then read the ' +
  'size) decodes the map’s state but leaves its history until it is needed, so the first ' +
  'local edit afterwards pays for it (about 0.4 s for 100k keys on the machine below).';

const FAMILY_NOTES: Readonly<Record<FamilyName, string>> = {
  counter:
    'Yjs has no counter type; its nearest equivalent is a `Y.Map` with a key per replica ' +
    'holding that replica’s running sum. Automerge’s counter is created once by one replica ' +
    'and every replica starts from that document, so each whole-state update carries that ' +
    'creating change too. GCounter runs only the increment-only workloads. Bytes per ' +
    'element are bytes per operation. With one replica, an update that holds a total per ' +
    'replica (Tandem’s counters, the Yjs map) does not grow with the number of steps, so ' +
    'those rows show how cheap that state is rather than per-operation work.',
  map:
    'Values are small integers. The shared key is written concurrently by every replica. ' +
    LORO_LAZY,
  set:
    'No peer has a set type; the nearest equivalent is a map from each element to `true`. ' +
    'The shared element is added concurrently by every replica. ' +
    LORO_LAZY,
  register:
    'No peer has a register type; the nearest equivalent is one key of a map. Only ' +
    'Tandem’s MVRegister keeps every concurrent write (Automerge keeps them too, as ' +
    'conflicts, but shows one). Bytes per element are bytes per write. With one replica, ' +
    'Tandem and Yjs keep only the latest write while Automerge and Loro keep the history, ' +
    'so those rows compare state against history.',
};

/** 1234567 → "1.23 M", 1234 → "1.23 k", 12.3 → "12.3": three significant digits. */
export function si(n: number): string {
  const units: readonly [number, string][] = [
    [1e9, ' G'],
    [1e6, ' M'],
    [1e3, ' k'],
    [1, ''],
  ];
  for (const [scale, unit] of units) {
    const digits = Number((n / scale).toPrecision(3));
    if (digits >= 1 || scale === 1) return `${digits.toPrecision(3)}${unit}`;
  }
  return n.toPrecision(3);
}

function label(result: Pick<Result, 'library' | 'type'>): string {
  return `${LIBRARY_NAMES[result.library]} ${result.type}`;
}

/** Merged operations per second. */
function opsPerSecond(result: Result): number | undefined {
  return result.timing === undefined ? undefined : result.timing.hz * result.scenario.ops;
}

/** For a Tandem result: how many times each peer's speed it merges at. */
function ratios(result: Result, peers: readonly Result[]): { peer: Result; ratio: number }[] {
  const ours = opsPerSecond(result);
  if (ours === undefined) return [];
  return peers.flatMap((peer) => {
    const theirs = opsPerSecond(peer);
    return theirs === undefined ? [] : [{ peer, ratio: ours / theirs }];
  });
}

/** A ratio to two or three significant digits, never rounded up across 1. */
function ratioText(ratio: number): string {
  if (ratio < 1) return (Math.floor(ratio * 100) / 100).toFixed(2);
  return ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1);
}

/** One family's table. */
function table(family: FamilyName, results: readonly Result[]): string {
  const lines = [
    '| Scenario | Implementation | Merged ops/s | ± | Tandem is … × as fast as | Bytes/element |',
    '| --- | --- | ---: | ---: | --- | ---: |',
  ];
  const notes: string[] = [];
  const note = (problem: string): string => {
    if (!notes.includes(problem)) notes.push(problem);
    return `not measured [${notes.indexOf(problem) + 1}]`;
  };
  const scenarios = [...new Set(results.map((result) => result.scenario))];
  for (const scenario of scenarios) {
    const rows = results.filter((result) => result.scenario === scenario);
    const peers = rows.filter((result) => result.library !== 'tandem');
    rows.forEach((result, index) => {
      const ops = opsPerSecond(result);
      const speed = ops !== undefined ? si(ops) : note(result.problem ?? 'no timing');
      const margin = result.timing !== undefined ? `${result.timing.margin.toFixed(1)}%` : '';
      const versus =
        result.library === 'tandem'
          ? ratios(result, peers)
              .map(({ peer, ratio }) => {
                const text = `${ratioText(ratio)}× ${LIBRARY_NAMES[peer.library]}`;
                return ratio < 1 ? `**${text}**` : text;
              })
              .join(', ')
          : '';
      const bytes =
        result.bytes !== undefined ? (result.bytes / scenario.ops).toFixed(2) : '';
      const name = result.library === 'tandem' ? `**${label(result)}**` : label(result);
      lines.push(
        `| ${index === 0 ? scenario.name : ''} | ${name} | ${speed} | ${margin} | ${versus} | ${bytes} |`,
      );
    });
  }
  const footnotes = notes.map((problem, index) => `[${index + 1}] ${problem}`).join('  \n');
  return [
    `## ${FAMILY_TITLES[family]}`,
    lines.join('\n'),
    ...(notes.length > 0 ? [footnotes] : []),
    FAMILY_NOTES[family],
  ].join('\n\n') + '\n';
}

/** Whether two results' 95% confidence intervals overlap. */
function overlaps(a: Result, b: Result): boolean {
  if (a.timing === undefined || b.timing === undefined) return false;
  const low = (t: NonNullable<Result['timing']>): number => t.hz * (1 - t.margin / 100);
  const high = (t: NonNullable<Result['timing']>): number => t.hz * (1 + t.margin / 100);
  return low(a.timing) <= high(b.timing) && low(b.timing) <= high(a.timing);
}

/** The target check: every Tandem type faster than every peer in every scenario it runs. */
function target(results: readonly Result[]): string {
  const tandem = results.filter((result) => result.library === 'tandem');
  const peersRan = results.some((result) => result.library !== 'tandem');
  if (tandem.length === 0 || !peersRan) {
    return 'Not checked: the run did not include both Tandem and its peers.';
  }
  const misses: string[] = [];
  for (const result of tandem) {
    const peers = results.filter(
      (other) => other.scenario === result.scenario && other.library !== 'tandem',
    );
    if (result.timing === undefined) {
      misses.push(`- ${result.type}, ${result.scenario.name}: not measured (${result.problem ?? '?'})`);
      continue;
    }
    for (const { peer, ratio } of ratios(result, peers)) {
      if (ratio < 1) {
        const noise = overlaps(result, peer) ? ' (within the margins of error)' : '';
        misses.push(
          `- ${result.type}, ${result.scenario.family} “${result.scenario.name}”: ` +
            `${ratioText(ratio)}× ${label(peer)}${noise}`,
        );
      }
    }
  }
  return misses.length === 0
    ? 'Met: every Tandem type merged faster than every peer in every scenario of this run.'
    : `Missed in ${misses.length} comparison(s):\n\n${misses.join('\n')}`;
}

/** The whole report, Markdown. */
export function report(info: RunInfo, results: readonly Result[]): string {
  const versions = LIBRARIES.filter((library) => info.libraries.includes(library))
    .map((library) => `${LIBRARY_NAMES[library]} ${packageVersion(LIBRARY_PACKAGES[library])}`)
    .join(', ');
  const families = FAMILIES.filter((family) =>
    results.some((result) => result.scenario.family === family),
  );
  return [
    '# CRDT merge throughput',
    '',
    'How fast a fresh, empty replica merges whole-state updates, and how many bytes those',
    'updates take, for every Tandem CRDT type beside its nearest equivalent in Yjs,',
    'Automerge and Loro. Written by `npm run bench`; bench/README.md says what is measured',
    'and how. Merged ops/s is operations represented by the updates ÷ seconds per merge;',
    '± is the margin of error at 95% confidence.',
    '',
    `- Date: ${info.date.toISOString()}`,
    `- Command: \`${info.command}\` (${info.mode}; took ${Math.round(info.seconds)} s)`,
    `- Machine: ${machine()}`,
    `- Versions: ${versions}; timed with benny ${packageVersion('benny')}`,
    '',
    ...families.map((family) =>
      table(family, results.filter((result) => result.scenario.family === family)),
    ),
    '## Target',
    '',
    target(results),
    '',
  ].join('\n');
}
