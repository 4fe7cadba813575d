import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, Reader, Writer, ingestValue, readValue, writeValue } from '../../src/codec/index.js';
import { AWMap, AWSet } from '../../src/index.js';

/** The default limits with another `maxDepth`. */
function depth(maxDepth: number) {
  return { ...DEFAULT_LIMITS, maxDepth };
}

/**
 * Found by the codec property tests (fast-check, seed 42, shrunk to {"": false, "0":
 * false}): JavaScript lists integer-like keys ("0", "9", "10") before all others, in
 * numeric order, whatever the insertion order, so writeValue emitted such objects with
 * keys out of UTF-16 order and every decoder refused the frame as non-canonical. A
 * replica holding such a value could not be synced at all.
 */
describe('regression: objects whose keys look like array indices', () => {
  for (const input of [{ '9': 1, '10': 2 }, { '!': 1, '1': 2 }, { '': false, '0': false }]) {
    it(`round-trips ${JSON.stringify(input)}`, () => {
      const w = new Writer();
      writeValue(w, ingestValue(input, 'value', depth(64)));
      const back = readValue(new Reader(w.finish(), DEFAULT_LIMITS));
      expect(back).toEqual(input);
    });
  }

  it('a set and a map holding such values sync', () => {
    const a = new AWSet({ replica: 'a' });
    a.add({ '10': 'x', '9': 'y', b: 1 });
    const b = new AWSet({ replica: 'b' });
    b.apply(a.encode());
    expect(b.has({ '9': 'y', '10': 'x', b: 1 })).toBe(true);
    const m = new AWMap({ replica: 'a' });
    m.set('k', { '2': [{ '1': 0, '0': 1 }] });
    const n = new AWMap({ replica: 'b' });
    n.apply(m.encode());
    expect(n.get('k')).toEqual({ '2': [{ '0': 1, '1': 0 }] });
  });

  it('any JSON object round-trips', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.string(), fc.nat().map(String)), fc.jsonValue({ maxDepth: 2 })), (input) => {
        const w = new Writer();
        const v = ingestValue(input, 'value', depth(64));
        writeValue(w, v);
        expect(JSON.stringify(readValue(new Reader(w.finish(), DEFAULT_LIMITS)))).toBe(JSON.stringify(v));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
