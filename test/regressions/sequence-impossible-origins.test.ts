/**
 * Found by the JSON-twin mutation property in test/crdt/sequence/robustness.test.ts
 * (TANDEM_LONG, FC_SEED=1 and 5): a faulty peer's run named origins its author could not
 * have chosen (its own earlier item lay between them), and the merged order then depended
 * on delivery order: replicas with equal versions held different lists, and a replica's
 * own encoding loaded as another list.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, fromJSON, List } from '../../src/index.js';

const id = (replica: string, counter: number) => ({ replica, counter });

const forged = {
  format: 'tandem',
  version: 1,
  type: 'list',
  payload: {
    version: { r1: 6 },
    base: {},
    exact: false,
    deleted: [],
    runs: [
      { replica: 'r1', counter: 1, length: 2, left: null, right: null, deleted: true },
      { replica: 'r1', counter: 3, length: 2, left: id('r1', 2), right: null, content: ['c', 'd'] },
      { replica: 'r1', counter: 5, length: 2, left: null, right: id('r1', 2), content: ['Q', 'R'] },
    ],
  },
};

describe('origins a run could not have had', () => {
  it('are refused, or merged the same whatever the delivery order', () => {
    const r1 = new List<string>({ replica: 'r1' }).insert(0, 'a', 'b', 'c', 'd');
    const r2 = new List<string>({ replica: 'r2' }).insert(0, 'x', 'y');
    const doc = new List<string>({ replica: 'r0' }).insert(0, '1', '2');
    doc.apply(r1.encode());
    doc.apply(r2.encode());
    let refused = false;
    try {
      doc.apply(fromJSON(forged));
    } catch (error) {
      expect(error).toBeInstanceOf(DecodeError);
      refused = true;
    }
    if (refused) {
      expect(doc.toArray()).toEqual(['1', '2', 'a', 'b', 'c', 'd', 'x', 'y']);
      return;
    }
    const copy = new List<string>({ replica: 'copy' });
    copy.apply(doc.encode());
    expect(copy.toArray()).toEqual(doc.toArray());
    const other = new List<string>({ replica: 'other' });
    other.apply(fromJSON(forged));
    other.apply(r2.encode());
    other.apply(doc.encode());
    expect(other.toArray()).toEqual(doc.toArray());
  });
});
