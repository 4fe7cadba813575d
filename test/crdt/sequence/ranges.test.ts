/**
 * Index rules of Text and List: an index is an integer from 0 to the length (a count or
 * an end no further than the end), and for Text a boundary between the two halves of a
 * surrogate pair is no index at all. Breaking a rule is a RangeError that changes
 * nothing and fires no event; nothing is clamped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { List, Text } from '../../../src/index.js';
import { runs } from '../../helpers/property.js';

type Doc = Text | List<number>;

/** Expects `f` to throw a RangeError and leave `doc` as it was, with no event. */
function expectRangeError(doc: Doc, f: () => unknown): void {
  const before = { content: String(doc instanceof Text ? doc.toString() : doc.toArray()), version: doc.version(), bytes: Buffer.from(doc.encode()).toString('hex') };
  let events = 0;
  const off = doc.on('change', () => events++);
  try {
    expect(f).toThrow(RangeError);
  } finally {
    off();
  }
  expect(events).toBe(0);
  expect({ content: String(doc instanceof Text ? doc.toString() : doc.toArray()), version: doc.version(), bytes: Buffer.from(doc.encode()).toString('hex') }).toEqual(before);
}

/** Numbers that are no index of a sequence of `length` items (as a position, 0 ..= length). */
function badIndexes(length: number): number[] {
  return [-1, -0.5, length + 1, length + 0.5, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 53)];
}

describe.each([
  { name: 'Text', make: (): Doc => new Text({ replica: 'a' }).insert(0, 'abcdef') },
  { name: 'List', make: (): Doc => new List<number>({ replica: 'a' }).insert(0, 1, 2, 3, 4, 5, 6) },
])('$name index rules', ({ make }) => {
  const insert = (doc: Doc, index: number) => (doc instanceof Text ? doc.insert(index, 'x') : doc.insert(index, 7));

  it('insert: negative, past the end, fractional, NaN and infinite indexes', () => {
    const doc = make();
    for (const i of badIndexes(doc.length)) expectRangeError(doc, () => insert(doc, i));
    // The ends themselves are indexes.
    insert(doc, 0);
    insert(doc, doc.length);
    expect(doc.length).toBe(8);
  });

  it('delete: a bad index or count, or a range past the end, is not clamped', () => {
    const doc = make();
    for (const i of badIndexes(doc.length)) expectRangeError(doc, () => doc.delete(i, 1));
    for (const n of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 7]) expectRangeError(doc, () => doc.delete(0, n));
    expectRangeError(doc, () => doc.delete(5, 2));
    expectRangeError(doc, () => doc.delete(6, 1));
    doc.delete(6, 0);
    doc.delete(5, 1);
    expect(doc.length).toBe(5);
  });

  it('slice: bad bounds, and an end before the start', () => {
    const doc = make();
    for (const i of badIndexes(doc.length)) {
      expectRangeError(doc, () => doc.slice(i));
      expectRangeError(doc, () => doc.slice(0, i));
    }
    expectRangeError(doc, () => doc.slice(4, 3));
    expect(doc.slice(3, 3)).toHaveLength(0);
    expect(doc.slice(0, 6)).toHaveLength(6);
  });

  it('anchor: bad indexes and an unknown side', () => {
    const doc = make();
    for (const i of badIndexes(doc.length)) {
      expectRangeError(doc, () => doc.anchor(i, 'before'));
      expectRangeError(doc, () => doc.anchor(i, 'after'));
    }
    expectRangeError(doc, () => doc.anchor(1, 'left' as 'before'));
    expect(doc.resolve(doc.anchor(6, 'before'))).toBe(6);
    expect(doc.resolve(doc.anchor(0, 'after'))).toBe(0);
  });

  it('random indexes: accepted exactly when they are integers in range', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -3, max: 10 }), fc.double({ min: -3, max: 10 })), fc.integer({ min: -3, max: 10 }), (index, count) => {
        const doc = make();
        const ok = Number.isInteger(index) && index >= 0 && index <= doc.length && count >= 0 && index + count <= doc.length;
        if (ok) {
          doc.delete(index, count);
          expect(doc.length).toBe(6 - count);
        } else expectRangeError(doc, () => doc.delete(index, count));
      }),
      runs(100),
    );
  });
});

describe('List.get', () => {
  it('refuses the length, negatives, fractions and NaN', () => {
    const list = new List<number>({ replica: 'a' }).insert(0, 1, 2, 3);
    for (const i of [-1, 3, 4, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) expectRangeError(list, () => list.get(i));
    expect(list.get(2)).toBe(3);
    const empty = new List<number>({ replica: 'b' });
    expectRangeError(empty, () => empty.get(0));
  });
});

describe('Text: no index splits a surrogate pair', () => {
  // 'a😀b𝄞': code units a, (😀 high, low), b, (𝄞 high, low); indexes 2 and 5 split a pair.
  const make = () => new Text({ replica: 'a' }).insert(0, 'a😀b𝄞');

  it('insert at the middle of a pair', () => {
    const doc = make();
    for (const i of [2, 5]) expectRangeError(doc, () => doc.insert(i, 'x'));
    doc.insert(3, 'x').insert(1, 'y');
    expect(doc.toString()).toBe('ay😀xb𝄞');
  });

  it('delete starting or ending inside a pair', () => {
    const doc = make();
    expectRangeError(doc, () => doc.delete(2, 1));
    expectRangeError(doc, () => doc.delete(1, 1));
    expectRangeError(doc, () => doc.delete(0, 2));
    expectRangeError(doc, () => doc.delete(3, 2));
    expectRangeError(doc, () => doc.delete(5, 1));
    doc.delete(1, 2);
    expect(doc.toString()).toBe('ab𝄞');
  });

  it('slice starting or ending inside a pair', () => {
    const doc = make();
    expectRangeError(doc, () => doc.slice(2));
    expectRangeError(doc, () => doc.slice(0, 2));
    expectRangeError(doc, () => doc.slice(3, 5));
    expect(doc.slice(1, 3)).toBe('😀');
    expect(doc.slice(4)).toBe('𝄞');
  });

  it('anchor inside a pair, on either side', () => {
    const doc = make();
    for (const i of [2, 5]) {
      expectRangeError(doc, () => doc.anchor(i, 'before'));
      expectRangeError(doc, () => doc.anchor(i, 'after'));
    }
    expect(doc.resolve(doc.anchor(3, 'before'))).toBe(3);
    expect(doc.resolve(doc.anchor(4, 'after'))).toBe(4);
  });

  it('a pair typed in two halves is refused: each insert must be well-formed', () => {
    const doc = make();
    expect(() => doc.insert(0, '\ud83d')).toThrow(TypeError);
    expect(() => doc.insert(0, '\ude00')).toThrow(TypeError);
    expect(doc.toString()).toBe('a😀b𝄞');
  });

  it('a pair that arrives remotely (delta or whole state) in a text that never held one is respected', () => {
    const ascii = new Text({ replica: 'a' }).insert(0, 'abc');
    const other = new Text({ replica: 'b' });
    other.apply(ascii.encode());
    other.insert(1, '😀');
    const loaded = new Text({ replica: 'c' });
    loaded.apply(other.encode());
    ascii.apply(other.encode(ascii.version()));
    for (const doc of [ascii, loaded]) {
      expect(doc.toString()).toBe('a😀bc');
      expectRangeError(doc, () => doc.insert(2, 'x'));
      expectRangeError(doc, () => doc.delete(1, 1));
      expectRangeError(doc, () => doc.delete(2, 1));
      expectRangeError(doc, () => doc.slice(0, 2));
      expectRangeError(doc, () => doc.anchor(2, 'after'));
    }
  });

  it('an edit next to a pair that a remote replica split by deleting a neighbour still respects it', () => {
    const doc = make();
    const other = new Text({ replica: 'b' });
    other.apply(doc.encode());
    other.delete(0, 1).delete(2, 1);
    doc.apply(other.encode(doc.version()));
    expect(doc.toString()).toBe('😀𝄞');
    for (const i of [1, 3]) expectRangeError(doc, () => doc.insert(i, 'x'));
    expectRangeError(doc, () => doc.delete(1, 2));
    doc.insert(2, 'x');
    expect(doc.toString()).toBe('😀x𝄞');
  });
});
