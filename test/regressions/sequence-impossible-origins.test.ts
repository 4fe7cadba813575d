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

/**
 * The same forgery through origins that arrive in the same update (still open until the
 * check moved into integration, which then undoes the runs it had already put in):
 * `TANDEM_LONG=1 FC_SEED=1` and `5` of the mutation property found it.
 */
describe('origins a run could not have had, named through the same update', () => {
  const state = (doc: List<string>) => ({ items: doc.toArray(), version: doc.version(), bytes: Buffer.from(doc.encode()).toString('hex') });

  it('refuse the whole update into an empty replica', () => {
    const doc = new List<string>({ replica: 'r0' });
    expect(() => doc.apply(fromJSON(forged))).toThrow(/its author had already made/);
    expect(state(doc)).toEqual(state(new List<string>({ replica: 'r0' })));
  });

  it('leave the replica as it was: a run merged into a known span, and a new replica, are taken out again', () => {
    const r1 = new List<string>({ replica: 'r1' }).insert(0, 'a', 'b');
    const doc = new List<string>({ replica: 'r0' }).insert(0, '1', '2');
    doc.apply(r1.encode());
    const before = state(doc);
    const update = {
      format: 'tandem',
      version: 1,
      type: 'list',
      payload: {
        version: { r1: 6, r9: 1 },
        base: { r1: 2 },
        exact: true,
        deletions: [],
        runs: [
          // Continues (r1, 1..2): integrated into that span before the forgery is met.
          { replica: 'r1', counter: 3, length: 2, left: id('r1', 2), right: null, content: ['c', 'd'] },
          // From the start to (r1, 4): (r1, 1..3), which r1 had made, lie between.
          { replica: 'r1', counter: 5, length: 2, left: null, right: id('r1', 4), content: ['Q', 'R'] },
          { replica: 'r9', counter: 1, length: 1, left: id('r1', 3), right: null, content: ['n'] },
        ],
      },
    };
    expect(() => doc.apply(fromJSON(update))).toThrow(DecodeError);
    expect(state(doc)).toEqual(before);
    // Still whole and usable: the honest updates of both replicas merge as usual.
    r1.insert(2, 'c', 'd');
    const r9 = new List<string>({ replica: 'r9' });
    r9.apply(r1.encode());
    r9.insert(3, 'n');
    doc.apply(r9.encode(doc.version()));
    doc.insert(0, '0');
    const copy = new List<string>({ replica: 'copy' });
    copy.apply(doc.encode());
    expect(doc.toArray()).toEqual(['0', '1', '2', 'a', 'b', 'c', 'n', 'd']);
    expect(copy.toArray()).toEqual(doc.toArray());
  });
});
