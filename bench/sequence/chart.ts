/**
 * The sequence report drawn as one self-contained SVG: a panel per measured quantity,
 * in each a group of bars per trace and a bar per library, with a shared legend. A panel
 * whose values span more than a factor of 20 uses a logarithmic axis (and says so in its
 * title); the others start at zero. No dependencies: the SVG is written as text.
 */
import { SEQUENCE_LIBRARIES, SEQUENCE_LIBRARY_NAMES, type SequenceLibrary } from './interfaces.js';
import type { Row, TraceInfo } from './report.js';

/** One panel: a title, which traces it covers, and a row's value in the panel's unit. */
interface Panel {
  readonly title: string;
  readonly kind: 'sequential' | 'concurrent';
  readonly value: (row: Row) => number | undefined;
}

const ms = (seconds: number | undefined): number | undefined =>
  seconds === undefined ? undefined : seconds * 1000;
const kB = (bytes: number | undefined): number | undefined =>
  bytes === undefined ? undefined : bytes / 1000;

const PANELS: readonly Panel[] = [
  {
    title: 'Replay as local edits (ms, lower is better)',
    kind: 'sequential',
    value: (row) => ms(row.timings.replay?.seconds),
  },
  {
    title: 'JS heap after replay (kB; WebAssembly libraries: wrapper only)',
    kind: 'sequential',
    // A wrapper's heap can come out a little below zero (garbage freed during the replay).
    value: (row) => kB(row.heap === undefined ? undefined : Math.max(0, row.heap)),
  },
  {
    title: 'Encode the whole document (ms)',
    kind: 'sequential',
    value: (row) => ms(row.timings.encode?.seconds),
  },
  {
    title: 'Encoded size (kB)',
    kind: 'sequential',
    value: (row) => kB(row.bytes),
  },
  {
    title: 'Load the encoding, read the text (ms)',
    kind: 'sequential',
    value: (row) => ms(row.timings.load?.seconds),
  },
  {
    title: 'Merge a whole update into an empty replica, read the text (ms)',
    kind: 'sequential',
    value: (row) => ms(row.timings.merge?.seconds),
  },
  {
    title: 'Concurrent replay, one replica per agent (ms)',
    kind: 'concurrent',
    value: (row) => ms(row.timings.concurrent?.seconds),
  },
];

/** A bar's value: three significant digits, whole numbers from 1000 up. */
function valueLabel(value: number): string {
  return Math.abs(value) >= 1000 ? value.toFixed(0) : `${Number(value.toPrecision(3))}`;
}

const COLORS: Readonly<Record<SequenceLibrary, string>> = {
  tandem: '#d62728',
  yjs: '#1f77b4',
  automerge: '#ff7f0e',
  loro: '#2ca02c',
  'json-joy': '#9467bd',
  'diamond-types': '#8c564b',
};

const WIDTH = 960;
const PANEL_HEIGHT = 250;
const LEFT = 70;
const RIGHT = 20;
const PANEL_TOP = 34;
const PANEL_BOTTOM = 34;
const LEGEND_HEIGHT = 40;
/** Above this ratio of largest to smallest value, a panel's axis is logarithmic. */
const LOG_RATIO = 20;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number of the axis, short: 0.5, 20, 3k, 1M. */
function tickLabel(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (abs >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return `${Number(value.toPrecision(3))}`;
}

/** Maps a value to a height fraction 0…1, with the ticks to draw. */
interface Scale {
  readonly log: boolean;
  readonly at: (value: number) => number;
  readonly ticks: readonly number[];
}

function scale(values: readonly number[]): Scale {
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (min > 0 && max / min > LOG_RATIO) {
    const low = Math.floor(Math.log10(min));
    const high = Math.ceil(Math.log10(max));
    const span = Math.max(1, high - low);
    const ticks: number[] = [];
    for (let power = low; power <= high; power++) ticks.push(10 ** power);
    return { log: true, at: (value) => (Math.log10(value) - low) / span, ticks };
  }
  const bottom = Math.min(0, min);
  const top = max > bottom ? max : bottom + 1;
  const raw = (top - bottom) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const first = Math.floor(bottom / step) * step;
  const last = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let tick = first; tick <= last + step / 2; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return { log: false, at: (value) => (value - first) / (last - first), ticks };
}

/** The SVG elements of one panel, its top at `y`. */
function panel(p: Panel, y: number, rows: readonly Row[], traces: readonly TraceInfo[], libraries: readonly SequenceLibrary[]): string[] {
  const groups = traces.filter((trace) => trace.kind === p.kind);
  const values = rows.flatMap((row) => {
    const value = p.value(row);
    return value === undefined ? [] : [value];
  });
  const out: string[] = [];
  const plotTop = y + PANEL_TOP;
  const plotHeight = PANEL_HEIGHT - PANEL_TOP - PANEL_BOTTOM;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const axis = values.length > 0 ? scale(values) : undefined;
  const title = `${p.title}${axis?.log === true ? ', log scale' : ''}`;
  out.push(`<text x="${LEFT}" y="${y + 20}" class="title">${escape(title)}</text>`);
  if (axis === undefined || groups.length === 0) {
    out.push(`<text x="${LEFT}" y="${plotTop + plotHeight / 2}" class="label">not measured in this run</text>`);
    return out;
  }
  const yOf = (value: number): number => plotTop + plotHeight * (1 - Math.min(1, Math.max(0, axis.at(value))));
  for (const tick of axis.ticks) {
    const ty = yOf(tick).toFixed(1);
    out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${ty}" y2="${ty}" class="grid"/>`);
    out.push(`<text x="${LEFT - 6}" y="${ty}" dy="0.32em" text-anchor="end" class="tick">${tickLabel(tick)}</text>`);
  }
  const base = axis.log ? plotTop + plotHeight : yOf(0);
  const groupWidth = plotWidth / groups.length;
  const barWidth = Math.min(56, (groupWidth * 0.8) / Math.max(1, libraries.length));
  groups.forEach((group, g) => {
    const groupLeft = LEFT + g * groupWidth + (groupWidth - barWidth * libraries.length) / 2;
    out.push(
      `<text x="${(LEFT + (g + 0.5) * groupWidth).toFixed(1)}" y="${plotTop + plotHeight + 22}" ` +
        `text-anchor="middle" class="group">${escape(group.name)}</text>`,
    );
    libraries.forEach((library, b) => {
      const x = groupLeft + b * barWidth;
      const cx = (x + barWidth / 2).toFixed(1);
      const row = rows.find((r) => r.trace === group.name && r.library === library);
      const value = row === undefined ? undefined : p.value(row);
      if (value === undefined) {
        out.push(`<text x="${cx}" y="${(base - 4).toFixed(1)}" text-anchor="middle" class="label">n/a</text>`);
        return;
      }
      const top = yOf(value);
      const height = Math.abs(base - top);
      out.push(
        `<rect x="${(x + 2).toFixed(1)}" y="${Math.min(top, base).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" ` +
          `height="${Math.max(0.5, height).toFixed(1)}" fill="${COLORS[library]}">` +
          `<title>${escape(`${SEQUENCE_LIBRARY_NAMES[library]}, ${group.name}: ${valueLabel(value)}`)}</title></rect>`,
      );
      out.push(
        `<text x="${cx}" y="${(Math.min(top, base) - 4).toFixed(1)}" text-anchor="middle" class="label">${valueLabel(value)}</text>`,
      );
    });
  });
  out.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${base.toFixed(1)}" y2="${base.toFixed(1)}" class="axis"/>`);
  return out;
}

/** The chart of `rows`, an SVG document. */
export function chart(rows: readonly Row[], traces: readonly TraceInfo[]): string {
  const libraries = SEQUENCE_LIBRARIES.filter((library) => rows.some((row) => row.library === library));
  const panels = PANELS.filter((p) => traces.some((trace) => trace.kind === p.kind));
  const height = LEGEND_HEIGHT + panels.length * PANEL_HEIGHT;
  const legend = libraries.map((library, i) => {
    const x = LEFT + i * 140;
    return (
      `<rect x="${x}" y="14" width="14" height="14" fill="${COLORS[library]}"/>` +
      `<text x="${x + 20}" y="25" class="legend">${escape(SEQUENCE_LIBRARY_NAMES[library])}</text>`
    );
  });
  const body = panels.flatMap((p, i) => panel(p, LEGEND_HEIGHT + i * PANEL_HEIGHT, rows, traces, libraries));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
      `font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">`,
    '<style>',
    '.title { font-size: 14px; font-weight: 600; fill: #222; }',
    '.legend { font-size: 13px; fill: #222; }',
    '.group { font-size: 12px; fill: #333; }',
    '.tick { font-size: 11px; fill: #555; }',
    '.label { font-size: 10px; fill: #333; }',
    '.grid { stroke: #e4e4e4; stroke-width: 1; }',
    '.axis { stroke: #888; stroke-width: 1; }',
    '</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...legend,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
