/**
 * Found by the JSON-twin mutation property in test/crdt/sequence/robustness.test.ts
 * (TANDEM_LONG, FC_SEED=5 and 6): a run whose right origin was its own left origin, or
 * stood before it, was accepted; integration then depended on the order runs arrived in,
 * and the replica's own encoding loaded as a different text.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, fromJSON, Text } from '../../src/index.js';

const id = (replica: string, counter: number) => ({ replica, counter });

function update(left: unknown, right: unknown) {
  return {
    format: 'tandem',
    version: 1,
    type: 'text',
    payload: { version: { a: 3, z: 2 }, base: { a: 3 }, exact: true, runs: [{ replica: 'z', counter: 1, length: 2, left, right, content: 'QR' }], deletions: [] },
  };
}

describe('a run must lie between its origins', () => {
  it('a right origin equal to or before the left origin is refused', () => {
    for (const [left, right] of [
      [id('a', 2), id('a', 2)],
      [id('a', 3), id('a', 1)],
      [id('a', 3), id('a', 3)],
    ]) {
      const doc = new Text({ replica: 'd' });
      doc.apply(new Text({ replica: 'a' }).insert(0, 'xyz').encode());
      const before = Buffer.from(doc.encode()).toString('hex');
      expect(() => doc.apply(fromJSON(update(left, right)))).toThrow(DecodeError);
      expect(Buffer.from(doc.encode()).toString('hex')).toBe(before);
    }
  });

  it('the forged whole state found by the fuzzer is refused', () => {
    const doc = new Text({ replica: 'r0' });
    doc.insert(0, 'aé\nc').insert(0, 'b́ab');
    const forged = {
      format: 'tandem',
      version: 1,
      type: 'text',
      payload: {
        version: { r0: 4, r1: 4 },
        base: {},
        exact: false,
        runs: [
          { replica: 'r0', counter: 1, length: 1, left: null, right: null, deleted: true },
          { replica: 'r0', counter: 2, length: 3, left: id('r0', 1), right: null, content: 'é\nc' },
          { replica: 'r1', counter: 1, length: 4, left: id('r0', 2), right: id('r0', 2), content: 'c😀x' },
        ],
        deleted: [],
      },
    };
    expect(() => doc.apply(fromJSON(forged))).toThrow(DecodeError);
    expect(doc.toString()).toBe('b́abaé\nc');
  });

  it('valid neighbours are still accepted', () => {
    const doc = new Text({ replica: 'd' });
    doc.apply(new Text({ replica: 'a' }).insert(0, 'xyz').encode());
    doc.apply(fromJSON(update(id('a', 1), id('a', 2))));
    expect(doc.toString()).toBe('xQRyz');
  });
});
