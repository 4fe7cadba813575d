/**
 * The random workloads: documents of 1 KB and 100 KB (ASCII, so code units and code
 * points agree for every library) and pools of ops on them, drawn from a fixed seed so
 * every run measures the same inputs. An op makes 1 to 20 edits at random places: inserts
 * and deletes of 1 to 10 characters, and in rich text formatting of up to 50 characters
 * (attributes set or removed) and formatted inserts.
 */
import { richText, text, type AttributeMap, type Component, type RichTextDocument, type RichTextOp, type TextOp } from '../../src/ot/index.js';

/** Ops in each pool: one timed run goes through the whole pool. */
export const POOL = 100;

/** Document sizes, in code units. */
export const SIZES = [
  { name: '1 KB', length: 1024 },
  { name: '100 KB', length: 100 * 1024 },
] as const;

/** mulberry32: a small, fast, seeded generator of integers in [0, n). */
function generator(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz      \n';

function randomText(random: (n: number) => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += LETTERS[random(LETTERS.length)];
  return out;
}

const FORMATS: readonly AttributeMap[] = [{ bold: true }, { italic: true }, { color: '#c00' }, { bold: true, color: '#00c' }, { link: 'https://example.com' }];
const UNFORMATS: readonly AttributeMap[] = [{ bold: null }, { italic: null, color: null }];

/** An op on a document of `length` code units, normalized. */
function randomOp(random: (n: number) => number, length: number, rich: boolean): Component[] {
  const edits = 1 + random(20);
  const positions = Array.from({ length: edits }, () => random(length + 1)).sort((x, y) => x - y);
  const op: Component[] = [];
  let base = 0;
  for (const at of positions) {
    if (at > base) op.push({ retain: at - base });
    base = Math.max(base, at);
    const kind = random(rich ? 4 : 2);
    if (kind === 0) {
      const insert = randomText(random, 1 + random(10));
      op.push(rich && random(2) === 0 ? { insert, attributes: FORMATS[random(FORMATS.length)]! } : { insert });
    } else {
      const n = Math.min(kind === 1 ? 1 + random(10) : 1 + random(50), length - base);
      if (n === 0) continue;
      if (kind === 1) op.push({ delete: n });
      else op.push({ retain: n, attributes: kind === 2 ? FORMATS[random(FORMATS.length)]! : UNFORMATS[random(UNFORMATS.length)]! });
      base += n;
    }
  }
  return rich ? (richText.normalize(op) as Component[]) : (text.normalize(op as TextOp) as Component[]);
}

/** Ops for one document: to apply, pairs to compose (b follows a), pairs to transform (concurrent). */
export interface Pools<Op, Doc> {
  readonly name: string;
  readonly doc: Doc;
  readonly length: number;
  readonly apply: readonly Op[];
  readonly compose: readonly (readonly [Op, Op, number])[];
  readonly transform: readonly (readonly [Op, Op])[];
}

function lengthAfter(op: readonly Component[], length: number): number {
  let n = length;
  for (const c of op) n += 'insert' in c ? c.insert.length : 'delete' in c ? -c.delete : 0;
  return n;
}

/** Plain-text workloads, one per size. */
export function textWorkloads(): Pools<TextOp, string>[] {
  return SIZES.map(({ name, length }, i) => {
    const random = generator(0x5eed + i);
    const doc = randomText(random, length);
    const op = (): TextOp => randomOp(random, length, false) as TextOp;
    return {
      name,
      doc,
      length,
      apply: Array.from({ length: POOL }, op),
      compose: Array.from({ length: POOL }, () => {
        const a = op();
        const after = lengthAfter(a, length);
        return [a, randomOp(random, after, false) as TextOp, after] as const;
      }),
      transform: Array.from({ length: POOL }, () => [op(), op()] as const),
    };
  });
}

/** Rich-text workloads, one per size: documents of runs of 5 to 200 characters with random formats. */
export function richWorkloads(): Pools<RichTextOp, RichTextDocument>[] {
  return SIZES.map(({ name, length }, i) => {
    const random = generator(0xf0a7 + i);
    const runs: Component[] = [];
    for (let n = 0; n < length; ) {
      const size = Math.min(length - n, 5 + random(196));
      const insert = randomText(random, size);
      runs.push(random(2) === 0 ? { insert } : { insert, attributes: FORMATS[random(FORMATS.length)]! });
      n += size;
    }
    const doc = richText.apply([], runs);
    const op = (): RichTextOp => randomOp(random, length, true);
    return {
      name,
      doc,
      length,
      apply: Array.from({ length: POOL }, op),
      compose: Array.from({ length: POOL }, () => {
        const a = op();
        const after = lengthAfter(a, length);
        return [a, randomOp(random, after, true), after] as const;
      }),
      transform: Array.from({ length: POOL }, () => [op(), op()] as const),
    };
  });
}
