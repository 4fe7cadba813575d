/**
 * Malformed sequence updates: frames that are well-formed bytes but describe an
 * impossible document. Each is written as a JSON twin, so the rule it breaks is plain to
 * read; each must be refused with a DecodeError (by `fromJSON` or by `apply`) and leave
 * the replica exactly as it was. Truncated, bit-flipped, garbage and oversized frames are
 * covered for Text and List by test/crdt/robustness.test.ts through the adapters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, fromJSON, List, Text, toJSON, type Replicated } from '../../../src/index.js';
import { runs } from '../../helpers/property.js';
import { adapters } from '../adapters.js';
import { load, play, scenario } from '../network.js';

type Doc = Text | List;

function fingerprint(doc: Doc) {
  return {
    content: doc instanceof Text ? doc.toString() : doc.toArray(),
    version: doc.version(),
    bytes: Buffer.from(doc.encode()).toString('hex'),
    pending: doc.pending,
  };
}

/** `payload` framed as a JSON twin of `type`. */
function frame(type: 'text' | 'list', payload: unknown) {
  return { format: 'tandem', version: 1, type, payload };
}

/** Expects `json` to be refused with a DecodeError whose message matches `rule`, leaving `doc` unchanged. */
function expectRefused(doc: Doc, json: unknown, rule: RegExp): void {
  const before = fingerprint(doc);
  let error: unknown;
  try {
    doc.apply(fromJSON(json));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DecodeError);
  expect((error as Error).message).toMatch(rule);
  expect(fingerprint(doc)).toEqual(before);
}

/** Expects `json` to be accepted: the valid twin of a refused case. */
function expectAccepted(doc: Doc, json: unknown): void {
  expect(() => doc.apply(fromJSON(json))).not.toThrow();
}

/**
 * A replica of 'a' holding 'ab😀cd' then deleting 'd': items a1..a6 are 'a', 'b', the two
 * halves of '😀', 'c', 'd'; event a7 is a deletion, not an item.
 */
function target(): Text {
  const doc = new Text({ replica: 'a' });
  doc.insert(0, 'ab😀cd').delete(5, 1);
  return doc;
}

const id = (replica: string, counter: number) => ({ replica, counter });

/** A delta from replica 'z' on top of `target()`: its runs and deletions. */
function delta(runs: unknown[], deletions: unknown[] = [], version: Record<string, number> = { a: 7, z: 1 }) {
  return frame('text', { version, base: { a: 7 }, exact: true, runs, deletions });
}

describe('Text refuses updates that describe an impossible document, and stays unchanged', () => {
  it('the valid update these cases break is accepted', () => {
    const doc = target();
    expectAccepted(doc, delta([{ replica: 'z', counter: 1, length: 1, left: id('a', 2), right: id('a', 3), content: 'X' }]));
    expect(doc.toString()).toBe('abX😀c');
    const other = target();
    expectAccepted(other, delta([], [{ replica: 'z', counter: 1, length: 1, target: id('a', 5), direction: 1 }]));
    expect(other.toString()).toBe('ab😀');
  });

  it('a left or right origin that is not an item (a deletion event), or that nobody made', () => {
    const doc = target();
    const run = { replica: 'z', counter: 1, length: 1, content: 'X' };
    expectRefused(doc, delta([{ ...run, left: id('a', 7), right: null }]), /origin \(a, 7\) is not an inserted item/);
    expectRefused(doc, delta([{ ...run, left: null, right: id('a', 7) }]), /origin \(a, 7\) is not an inserted item/);
    expectRefused(doc, delta([{ ...run, left: id('ghost', 1), right: null }]), /origins \(ghost, 1\.\.1\) lie outside the frame's version/);
    expectRefused(
      doc,
      delta([{ ...run, left: id('ghost', 1), right: null }], [], { a: 7, z: 1, ghost: 1 }),
      /ghost|missing|origin/,
    );
  });

  it('a whole state whose run names an older event of its own replica that is a deletion, loaded into an empty replica', () => {
    // An empty replica links a whole state's runs before building its tree: the refusal
    // comes from there, and the replica must stay empty and usable.
    const whole = frame('text', {
      version: { a: 4 },
      base: {},
      exact: false,
      deleted: [],
      runs: [
        { replica: 'a', counter: 1, length: 2, left: null, right: null, content: 'ab' },
        { replica: 'a', counter: 4, length: 1, left: id('a', 3), right: null, content: 'c' },
      ],
    });
    const empty = new Text({ replica: 'e' });
    expectRefused(empty, whole, /origin \(a, 3\) is not an inserted item/);
    expect(empty.length).toBe(0);
    empty.apply(target().encode());
    empty.insert(empty.length, '!');
    expect([empty.toString(), empty.length]).toEqual(['ab😀c!', 6]);
  });

  it('a run whose left origin is an older deletion event of its own replica, after a run of the update already went in', () => {
    // Without surrogate pairs, plan() leaves such an origin for integrate() to look up.
    const doc = new Text({ replica: 'a' }).insert(0, 'abcd');
    const runs = [
      { replica: 'z', counter: 1, length: 1, left: id('a', 2), right: id('a', 3), content: 'X' },
      { replica: 'z', counter: 3, length: 1, left: id('z', 2), right: null, content: 'Y' },
    ];
    const deletions = [{ replica: 'z', counter: 2, length: 1, target: id('a', 1), direction: 1 }];
    const update = (payload: { runs: unknown[]; deletions: unknown[]; version: Record<string, number> }) =>
      frame('text', { base: { a: 4 }, exact: true, ...payload });
    expectRefused(doc, update({ runs, deletions, version: { a: 4, z: 3 } }), /origin \(z, 2\) is not an inserted item/);
    expect([doc.toString(), doc.length]).toEqual(['abcd', 4]);
    expectAccepted(doc, update({ runs: runs.slice(0, 1), deletions: [], version: { a: 4, z: 1 } }));
    expect(doc.toString()).toBe('abXcd');
  });

  it('a run that is its own origin, or two runs that are each other\u2019s origins', () => {
    const doc = target();
    expectRefused(doc, delta([{ replica: 'z', counter: 1, length: 1, left: id('z', 1), right: null, content: 'X' }]), /origin/);
    expectRefused(
      doc,
      delta(
        [
          { replica: 'y', counter: 1, length: 1, left: id('z', 1), right: null, content: 'Y' },
          { replica: 'z', counter: 1, length: 1, left: id('y', 1), right: null, content: 'Z' },
        ],
        [],
        { a: 7, y: 1, z: 1 },
      ),
      /origin/,
    );
    // A cycle through right origins, in a whole state.
    expectRefused(
      new Text({ replica: 'fresh' }),
      frame('text', {
        version: { y: 1, z: 1 },
        base: {},
        exact: false,
        runs: [
          { replica: 'y', counter: 1, length: 1, left: null, right: id('z', 1), content: 'Y' },
          { replica: 'z', counter: 1, length: 1, left: null, right: id('y', 1), content: 'Z' },
        ],
        deleted: [],
      }),
      /origin/,
    );
  });

  it('deleting an item that does not exist', () => {
    const doc = target();
    const deletion = { replica: 'z', counter: 1, length: 1, direction: 1 };
    expectRefused(doc, delta([], [{ ...deletion, target: id('a', 7) }]), /not an inserted item/);
    expectRefused(doc, delta([], [{ ...deletion, target: id('a', 8) }]), /outside the frame's version/);
    expectRefused(doc, delta([], [{ ...deletion, length: 2, target: id('a', 6) }], { a: 7, z: 2 }), /not an inserted item/);
  });

  it('an insertion or deletion that would split a surrogate pair', () => {
    const doc = target();
    expectRefused(doc, delta([{ replica: 'z', counter: 1, length: 1, left: id('a', 3), right: id('a', 4), content: 'X' }]), /split a character/);
    expectRefused(doc, delta([], [{ replica: 'z', counter: 1, length: 1, target: id('a', 3), direction: 1 }]), /split a character/);
    expectRefused(doc, delta([], [{ replica: 'z', counter: 1, length: 1, target: id('a', 4), direction: 1 }]), /split a character/);
    // Half a pair as content is not text at all.
    expectRefused(doc, delta([{ replica: 'z', counter: 1, length: 1, left: id('a', 2), right: id('a', 3), content: '\ud83d' }]), /surrogate/);
  });

  it('counters outside the frame\u2019s base and version', () => {
    const doc = target();
    const run = { replica: 'z', length: 1, left: id('a', 2), right: id('a', 3), content: 'X' };
    expectRefused(doc, delta([{ ...run, counter: 2 }]), /outside the frame's base and version|missing/);
    // An event of 'a' at or below the base.
    expectRefused(doc, delta([{ ...run, replica: 'a', counter: 7 }], [], { a: 8 }), /events \(a, 7\.\.7\) lie outside the frame's base and version/);
    expectRefused(doc, delta([{ ...run, counter: 1 }], [], { a: 7, z: 2 }), /missing/);
  });

  it('content whose length differs from the run\u2019s', () => {
    const doc = target();
    const run = { replica: 'z', counter: 1, left: id('a', 2), right: id('a', 3) };
    expectRefused(doc, delta([{ ...run, length: 1, content: 'XY' }]), /length/);
    expectRefused(doc, delta([{ ...run, length: 2, content: 'X' }], [], { a: 7, z: 2 }), /length/);
    expectRefused(doc, delta([{ ...run, length: 1, content: 'X', deleted: true }]), /content exactly when it is not deleted/);
  });

  it('a valid whole state stays valid through its JSON twin, and every case above left the replica usable', () => {
    const doc = target();
    const json = toJSON(doc.encode());
    const copy = new Text({ replica: 'copy' });
    copy.apply(fromJSON(json));
    expect(copy.toString()).toBe('ab😀c');
    doc.insert(0, '>');
    copy.apply(doc.encode(copy.version()));
    expect(copy.toString()).toBe('>ab😀c');
  });
});

describe('List refuses impossible updates', () => {
  it('an origin that does not exist, a cycle, a deletion of nothing, a content length mismatch', () => {
    const doc = new List<number>({ replica: 'a' });
    doc.insert(0, 1, 2, 3).delete(2, 1);
    const listDelta = (runs: unknown[], deletions: unknown[] = [], version: Record<string, number> = { a: 4, z: 1 }) =>
      frame('list', { version, base: { a: 4 }, exact: true, runs, deletions });
    const run = { replica: 'z', counter: 1, length: 1, content: [9] };
    expectAccepted(new List({ replica: 'a' }), frame('list', toJSON(doc.encode()).payload));
    expectRefused(doc, listDelta([{ ...run, left: id('a', 4), right: null }]), /not an inserted item/);
    expectRefused(doc, listDelta([{ ...run, left: id('z', 1), right: null }]), /origin/);
    expectRefused(doc, listDelta([], [{ replica: 'z', counter: 1, length: 1, target: id('a', 4), direction: 1 }]), /not an inserted item/);
    expectRefused(doc, listDelta([{ ...run, length: 2, content: [9] }], [], { a: 4, z: 2 }), /length/);
    expectRefused(doc, listDelta([{ ...run, left: null, right: null, content: [() => 1] }]), /./);
    expectAccepted(doc, listDelta([{ ...run, left: id('a', 1), right: id('a', 2) }]));
    expect(doc.toArray()).toEqual([1, 9, 2]);
  });
});

/** Setters for every number, string and boolean in a JSON value, in a fixed order. */
function leaves(value: unknown, out: ((f: (v: unknown) => unknown) => void)[] = []): ((f: (v: unknown) => unknown) => void)[] {
  if (typeof value !== 'object' || value === null) return out;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (typeof v === 'object' && v !== null) leaves(v, out);
    else if (v !== null) out.push((f) => (record[key] = f(v)));
  }
  return out;
}

describe.each(adapters.filter((a) => a.name === 'Text' || a.name === 'List'))('$name: mutated JSON twins of valid updates', (adapter) => {
  it('are refused with a DecodeError that changes nothing, or leave a replica that still encodes, reloads and holds whole characters', () => {
    fc.assert(
      fc.property(
        scenario(adapter, 2, 3, 30),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -2, max: 2 }), fc.nat(3)), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        ({ replicas, actions }, mutations, whole) => {
          const [target, source] = play(adapter, replicas, actions).replicas as [Replicated, Replicated];
          // A deep copy: list items in the twin are the replica's frozen values.
          const json = JSON.parse(JSON.stringify(toJSON(whole ? source.encode() : source.encode(target.version())))) as { payload: unknown };
          const setters = leaves(json.payload);
          if (setters.length === 0) return;
          for (const [at, delta, kind] of mutations) {
            setters[at % setters.length]!((v) => {
              if (typeof v === 'number') return kind === 0 ? Math.max(0, v + delta) : kind === 1 ? v + delta : Math.max(1, v * 2);
              if (typeof v === 'string') return kind === 0 ? 'r0' : kind === 1 ? 'r1' : v.length > 1 ? v.slice(1) : v;
              return typeof v === 'boolean' ? !v : v;
            });
          }
          let bytes: Uint8Array;
          try {
            bytes = fromJSON(json);
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError);
            return;
          }
          const before = { value: adapter.value(target), encoded: Buffer.from(target.encode()).toString('hex') };
          try {
            target.apply(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError);
            expect({ value: adapter.value(target), encoded: Buffer.from(target.encode()).toString('hex') }).toEqual(before);
            return;
          }
          const copy = load(adapter, 'copy', target.encode());
          expect(adapter.value(copy)).toEqual(adapter.value(target));
          if (target instanceof Text) expect(target.toString()).not.toMatch(/\p{Cs}/u);
        },
      ),
      runs(150),
    );
  });
});
