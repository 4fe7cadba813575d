/**
 * Convergence of Text and List with anchors, and local semantics against plain models.
 * Every inserted item is unique (text: a fresh CJK character, some of them astral; list:
 * a fresh number), so an anchor's item can be found in the converged result: that is
 * the reference an anchor must resolve to on every replica.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { List, Text, type Anchor, type JsonValue, type Replicated } from '../../../src/index.js';
import { runs } from '../../helpers/property.js';
import { whole, type Adapter, type Op } from '../adapters.js';
import { heal, play, scenario } from '../network.js';

type Doc = Text | List<number>;

/** Where an operation lands: 'front', 'end', or a number taken modulo the length plus one. */
const place = fc.oneof(fc.constant('front'), fc.constant('end'), fc.nat(10_000));

function indexOf(where: JsonValue | undefined, length: number): number {
  return where === 'front' ? 0 : where === 'end' ? length : (where as number) % (length + 1);
}

/** A made anchor: the replica that made it, the anchor, and the unit it binds to. */
interface Made {
  readonly anchor: Anchor;
  readonly unit: string | undefined;
}

/**
 * A sequence kit: how to make a replica, insert fresh unique items, and list a
 * replica's units (one name per index, so an anchor's item can be found again).
 */
interface Kit {
  readonly name: string;
  create(replica: string): Doc;
  /** Inserts `n` fresh items at `index`; for text, `astral` picks surrogate pairs. */
  insert(doc: Doc, index: number, n: number, astral: number): void;
  units(doc: Doc): string[];
  /** Moves an index off the middle of a character. */
  boundary(doc: Doc, index: number): number;
}

function textKit(): Kit & { fresh: { next: number } } {
  const fresh = { next: 0 };
  return {
    name: 'Text',
    fresh,
    create: (replica) => new Text({ replica }),
    insert(doc, index, n, astral) {
      let s = '';
      for (let k = 0; k < n; k++) {
        const id = fresh.next++;
        s += String.fromCodePoint((astral >> k) & 1 ? 0x20000 + id : 0x4e00 + id);
      }
      (doc as Text).insert(index, s);
    },
    units(doc) {
      const out: string[] = [];
      for (const ch of (doc as Text).toString()) for (let u = 0; u < ch.length; u++) out.push(`${ch}:${u}`);
      return out;
    },
    boundary: (doc, index) => whole((doc as Text).toString(), index),
  };
}

function listKit(): Kit & { fresh: { next: number } } {
  const fresh = { next: 0 };
  return {
    name: 'List',
    fresh,
    create: (replica) => new List<number>({ replica }),
    insert(doc, index, n) {
      (doc as List<number>).insert(index, ...Array.from({ length: n }, () => fresh.next++));
    },
    units: (doc) => (doc as List<number>).toArray().map(String),
    boundary: (_doc, index) => index,
  };
}

/**
 * An adapter for the network model whose operations insert fresh items, delete, or make
 * an anchor (recorded in `made`, with the unit it binds to).
 */
function adapterOf(kit: Kit, made: Made[]): Adapter {
  return {
    name: kit.name,
    create: (replica) => kit.create(replica),
    op: fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constant('insert'), place, fc.integer({ min: 1, max: 6 }), fc.nat(63)) },
      { weight: 2, arbitrary: fc.tuple(fc.constant('delete'), place, fc.integer({ min: 1, max: 12 })) },
      { weight: 1, arbitrary: fc.tuple(fc.constant('anchor'), place, fc.constantFrom('before', 'after')) },
    ),
    perform(r, [method, where, a, b]) {
      const doc = r as Doc;
      const index = kit.boundary(doc, indexOf(where, doc.length));
      if (method === 'insert') kit.insert(doc, index, a as number, b as number);
      else if (method === 'delete') doc.delete(index, kit.boundary(doc, Math.min(doc.length, index + (a as number))) - index);
      else {
        const assoc = a as 'before' | 'after';
        const units = kit.units(doc);
        made.push({ anchor: doc.anchor(index, assoc), unit: assoc === 'before' ? units[index - 1] : units[index] });
      }
    },
    value: (r) => kit.units(r as Doc),
  };
}

/** Where a made anchor must resolve in `units`, or undefined when its item was deleted. */
function expected(made: Made, units: readonly string[]): number | undefined {
  const a = made.anchor;
  if ('edge' in a) return a.edge === 'start' ? 0 : units.length;
  const p = units.indexOf(made.unit!);
  if (p < 0) return undefined;
  return a.assoc === 'before' ? p + 1 : p;
}

const bytes = (r: Replicated) => Buffer.from(r.encode()).toString('hex');

describe.each([{ name: 'Text', makeKit: textKit }, { name: 'List', makeKit: listKit }])('$name converges', ({ makeKit }) => {
  const kit = makeKit();

  it('2 to 5 replicas, random edits, reordered and duplicated deltas and whole states: same content, version and bytes; anchors agree', () => {
    fc.assert(
      fc.property(scenario(adapterOf(kit, []), 2, 5, 70), ({ replicas, actions }) => {
        kit.fresh.next = 0;
        const made: Made[] = [];
        const adapter = adapterOf(kit, made);
        const world = play(adapter, replicas, actions);
        heal(world);
        const docs = world.replicas as Doc[];
        const units = kit.units(docs[0]!);
        for (const doc of docs) {
          expect(kit.units(doc)).toEqual(units);
          expect(doc.length).toBe(units.length);
          expect(doc.version()).toEqual(docs[0]!.version());
          expect(bytes(doc)).toBe(bytes(docs[0]!));
          expect(doc.pending).toBe(0);
        }
        for (const m of made) {
          const at = docs.map((doc) => doc.resolve(m.anchor));
          for (const x of at) expect(x).toBe(at[0]);
          expect(at[0]).toBeGreaterThanOrEqual(0);
          expect(at[0]).toBeLessThanOrEqual(units.length);
          const want = expected(m, units);
          if (want !== undefined) expect(at[0]).toBe(want);
        }
        // A fresh replica loading any one state agrees too.
        const copy = kit.create('copy');
        copy.apply(docs[docs.length - 1]!.encode());
        expect(kit.units(copy)).toEqual(units);
        expect(bytes(copy)).toBe(bytes(docs[0]!));
      }),
      runs(70),
    );
  });

  it('an anchor made on one replica resolves to undefined where its item is unknown, then to the right index once merged', () => {
    fc.assert(
      fc.property(fc.array(adapterOf(kit, []).op, { minLength: 1, maxLength: 20 }), fc.nat(), (ops, pick) => {
        kit.fresh.next = 0;
        const made: Made[] = [];
        const adapter = adapterOf(kit, made);
        const a = kit.create('a');
        const b = kit.create('b');
        for (const op of ops) adapter.perform(a, op);
        const m = made[pick % Math.max(made.length, 1)];
        if (m === undefined || 'edge' in m.anchor) return;
        if (expected(m, kit.units(a)) !== undefined) expect(b.resolve(m.anchor)).toBeUndefined();
        b.apply(a.encode());
        expect(b.resolve(m.anchor)).toBe(a.resolve(m.anchor));
      }),
      runs(100),
    );
  });
});

describe.each([{ name: 'Text', makeKit: textKit }, { name: 'List', makeKit: listKit }])('$name without concurrency', ({ makeKit }) => {
  const kit = makeKit();

  it('edits by several replicas, each sent to all the others before the next: every replica is the plain model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.tuple(fc.nat(), adapterOf(kit, []).op, fc.boolean()), { minLength: 1, maxLength: 40 }), (n, steps) => {
        kit.fresh.next = 0;
        const adapter = adapterOf(kit, []);
        const docs = Array.from({ length: n }, (_, i) => kit.create(`r${i}`));
        let model: string[] = [];
        for (const [who, op, whole] of steps) {
          const doc = docs[who % n]!;
          const since = doc.version();
          const index = kit.boundary(doc, indexOf(op[1], doc.length));
          adapter.perform(doc, op);
          const after = kit.units(doc);
          if (op[0] === 'insert') {
            const inserted = after.length - model.length;
            model = [...model.slice(0, index), ...after.slice(index, index + inserted), ...model.slice(index)];
          } else if (op[0] === 'delete') {
            model = [...model.slice(0, index), ...model.slice(index + model.length - after.length)];
          }
          const update = whole ? doc.encode() : doc.encode(since);
          for (const other of docs) if (other !== doc) other.apply(update);
          for (const other of docs) expect(kit.units(other)).toEqual(model);
        }
      }),
      runs(100),
    );
  });
});

/**
 * A single replica against a reference model that keeps deleted items in place: an
 * insert goes right after the visible item before its index (before any deleted items
 * there), and an anchor on a deleted item stands where the item was.
 */
interface Cell {
  readonly unit: string;
  deleted: boolean;
}

function visibleBefore(cells: readonly Cell[], k: number): number {
  let n = 0;
  for (let i = 0; i < k; i++) if (!cells[i]!.deleted) n++;
  return n;
}

/** Index in `cells` just after the `index`-th visible cell (0: the front). */
function cellAfterVisible(cells: readonly Cell[], index: number): number {
  if (index === 0) return 0;
  let seen = 0;
  for (let i = 0; i < cells.length; i++) {
    if (!cells[i]!.deleted && ++seen === index) return i + 1;
  }
  throw new Error('index past the end');
}

describe.each([{ name: 'Text', makeKit: textKit }, { name: 'List', makeKit: listKit }])('$name against a plain model on one replica', ({ makeKit }) => {
  const kit = makeKit();

  it('random edits give the model content; length, slice, get and anchors agree at every step', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(adapterOf(kit, []).op, fc.nat(), fc.nat()), { minLength: 1, maxLength: 60 }), (steps) => {
        kit.fresh.next = 0;
        const made: Made[] = [];
        const adapter = adapterOf(kit, made);
        const doc = kit.create('solo');
        const cells: Cell[] = [];
        const anchors: { anchor: Anchor; cell: Cell | undefined }[] = [];
        for (const [op, x, y] of steps) {
          const before = kit.units(doc);
          const index = kit.boundary(doc, indexOf(op[1], doc.length));
          adapter.perform(doc, op);
          const after = kit.units(doc);
          // Update the model from the op's own arguments.
          if (op[0] === 'insert') {
            const inserted = after.length - before.length;
            const at = cellAfterVisible(cells, index);
            cells.splice(at, 0, ...after.slice(index, index + inserted).map((unit) => ({ unit, deleted: false })));
            expect(after).toEqual([...before.slice(0, index), ...after.slice(index, index + inserted), ...before.slice(index)]);
          } else if (op[0] === 'delete') {
            const count = before.length - after.length;
            let k = cellAfterVisible(cells, index);
            for (let left = count; left > 0; k++) {
              if (!cells[k]!.deleted) {
                cells[k]!.deleted = true;
                left--;
              }
            }
            expect(after).toEqual([...before.slice(0, index), ...before.slice(index + count)]);
          } else {
            const m = made[made.length - 1]!;
            const cell = m.unit === undefined ? undefined : cells.find((c) => c.unit === m.unit && !c.deleted);
            anchors.push({ anchor: m.anchor, cell });
          }
          expect(cells.filter((c) => !c.deleted).map((c) => c.unit)).toEqual(after);
          expect(doc.length).toBe(after.length);
          // slice and get over a random range, on character boundaries.
          const s = kit.boundary(doc, x % (after.length + 1));
          const e = kit.boundary(doc, s + (y % (after.length - s + 1)));
          if (doc instanceof Text) {
            const text = doc.toString();
            expect(doc.slice(s, e)).toBe(text.slice(s, e));
            expect(doc.slice()).toBe(text);
          } else {
            const items = doc.toArray();
            expect(doc.slice(s, e)).toEqual(items.slice(s, e));
            if (s < items.length) expect(doc.get(s)).toBe(items[s]);
          }
          for (const { anchor, cell } of anchors) {
            let want: number;
            if ('edge' in anchor) want = anchor.edge === 'start' ? 0 : after.length;
            else {
              const k = cells.indexOf(cell!);
              want = visibleBefore(cells, k) + (cell!.deleted ? 0 : anchor.assoc === 'before' ? 1 : 0);
            }
            expect(doc.resolve(anchor)).toBe(want);
          }
        }
      }),
      runs(100),
    );
  });
});

describe('updates that arrive before what they build on', () => {
  it('a chain of deltas delivered backwards, each twice, is held, then merged at once, with an event per update', () => {
    const author = new Text({ replica: 'author' });
    const helper = new Text({ replica: 'helper' });
    const deltas: Uint8Array[] = [];
    const texts: string[] = [];
    for (let k = 0; k < 5; k++) {
      const since = author.version();
      if (k % 2 === 0) author.insert(author.length, `w${k}😀 `);
      else {
        // A concurrent edit merged in, so the chain spans two replicas.
        helper.apply(author.encode(helper.version()));
        helper.insert(0, `h${k}`).delete(2, 1);
        author.apply(helper.encode(author.version()));
      }
      deltas.push(author.encode(since));
      texts.push(author.toString());
    }
    const reader = new Text({ replica: 'reader' });
    const seen: string[] = [];
    reader.on('change', () => seen.push(reader.toString()));
    for (let k = deltas.length - 1; k >= 1; k--) {
      reader.apply(deltas[k]!);
      reader.apply(deltas[k]!);
      expect(reader.pending).toBe(deltas.length - k);
      expect(reader.toString()).toBe('');
    }
    reader.apply(deltas[0]!);
    expect(reader.pending).toBe(0);
    expect(reader.toString()).toBe(author.toString());
    expect(reader.version()).toEqual(author.version());
    expect(seen).toEqual(texts);
  });

  it('an anchor survives a JSON round trip and resolves the same; a malformed anchor is a TypeError', () => {
    const doc = new Text({ replica: 'a' }).insert(0, 'hello');
    const anchor = doc.anchor(2, 'before');
    doc.insert(0, '>>');
    expect(doc.resolve(JSON.parse(JSON.stringify(anchor)) as Anchor)).toBe(4);
    expect(doc.resolve({ edge: 'end' })).toBe(7);
    for (const bad of [null, 3, 'a', { replica: 'a', counter: 1.5, assoc: 'before' }, { replica: 'a', counter: 1, assoc: 'left' }, { edge: 'middle' }]) {
      expect(() => doc.resolve(bad as unknown as Anchor)).toThrow(TypeError);
    }
    expect(doc.resolve({ replica: 'nobody', counter: 1, assoc: 'after' })).toBeUndefined();
    expect(doc.resolve({ replica: 'a', counter: 99, assoc: 'after' })).toBeUndefined();
  });
});

describe('large documents (thousands of spans, so the tree splits branches)', () => {
  it('3 replicas, 3,000 scattered edits with occasional syncs: they converge, and a fresh load agrees', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        // A small seeded generator keeps the edit list out of fast-check's shrinker.
        let state = seed | 1;
        const random = (n: number) => {
          state ^= state << 13;
          state ^= state >>> 17;
          state ^= state << 5;
          return (state >>> 0) % n;
        };
        const docs = ['x', 'y', 'z'].map((replica) => new Text({ replica }));
        /** Runs the first of `edits` that does not split a surrogate pair. */
        const first = (...edits: (() => unknown)[]) => {
          for (const edit of edits) {
            try {
              edit();
              return;
            } catch (error) {
              if (!(error instanceof RangeError)) throw error;
            }
          }
        };
        for (let step = 0; step < 3000; step++) {
          const doc = docs[random(3)]!;
          const n = doc.length;
          const at = random(n + 1);
          const text = random(5) === 0 ? '😀' : String.fromCharCode(97 + random(26));
          if (random(4) === 0 && at + 2 < n) first(...[at, at - 1].flatMap((i) => [2, 1, 3].map((k) => () => doc.delete(i, k))));
          else first(() => doc.insert(at, text), () => doc.insert(at - 1, text));
          if (random(50) === 0) {
            const [a, b] = [docs[random(3)]!, docs[random(3)]!];
            if (a !== b) b.apply(random(2) === 0 ? a.encode() : a.encode(b.version()));
          }
        }
        for (const a of docs) for (const b of docs) if (a !== b) b.apply(a.encode(b.version()));
        for (const a of docs) for (const b of docs) if (a !== b) b.apply(a.encode(b.version()));
        const text = docs[0]!.toString();
        for (const doc of docs) {
          expect(doc.toString()).toBe(text);
          expect(bytes(doc)).toBe(bytes(docs[0]!));
        }
        const copy = new Text({ replica: 'copy' });
        copy.apply(docs[1]!.encode());
        expect(copy.toString()).toBe(text);
        expect(copy.slice(0, whole(text, text.length >> 1))).toBe(text.slice(0, whole(text, text.length >> 1)));
      }),
      runs(2),
    );
  });
});
