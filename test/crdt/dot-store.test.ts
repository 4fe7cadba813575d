import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VersionVector, type Dot } from '../../src/index.js';
import { DotStore } from '../../src/crdt/causal/dot-store.js';
import { runs } from '../helpers/property.js';

type Step = readonly ['add' | 'remove', string, number];

const step = (kinds: readonly ('add' | 'remove')[]) =>
  fc.tuple(fc.constantFrom(...kinds), fc.constantFrom('a', 'b'), fc.integer({ min: 1, max: 80 }));

/**
 * Adds, then mostly removes (so holes outnumber entries and columns compact), then adds
 * again, some below counters already present: every path of a column.
 */
const steps = fc
  .tuple(
    fc.array(step(['add']), { minLength: 60, maxLength: 150 }),
    fc.array(step(['remove', 'remove', 'remove', 'add']), { minLength: 60, maxLength: 200 }),
    fc.array(step(['add', 'remove']), { maxLength: 100 }),
  )
  .map(([a, b, c]): Step[] => [...a, ...b, ...c]);

function run(list: readonly Step[]) {
  const store = new DotStore<Dot>();
  const reference = new Map<string, Dot>();
  for (const [kind, replica, counter] of list) {
    const key = `${replica}:${counter}`;
    if (kind === 'add' && !reference.has(key)) {
      store.add({ replica, counter });
      reference.set(key, { replica, counter });
    } else if (kind === 'remove') {
      expect(store.remove({ replica, counter })).toBe(reference.delete(key));
    }
    store.context.observe(replica, counter);
  }
  return { store, reference };
}

const sorted = (dots: Iterable<Dot>) =>
  [...dots].sort((x, y) => (x.replica === y.replica ? x.counter - y.counter : x.replica < y.replica ? -1 : 1));

describe('DotStore', () => {
  it('holds exactly the entries added and not removed, whatever the order (columns, holes, compaction)', () => {
    fc.assert(
      fc.property(steps, (list) => {
        const { store, reference } = run(list);
        expect(store.size).toBe(reference.size);
        expect(sorted(store.entries())).toEqual(sorted(reference.values()));
        // A whole snapshot lists every entry, sorted by dot, without sorting at encode time.
        expect(store.snapshot(undefined).entries).toEqual(sorted(reference.values()));
      }),
      runs(300),
    );
  });

  it('a delta for any base names as dead exactly the seen dots that are not alive', () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 0, max: 130 }), fc.integer({ min: 0, max: 130 }), (list, ba, bb) => {
        const { store, reference } = run(list);
        const since = VersionVector.from({ a: ba, b: bb });
        const delta = store.snapshot(since);
        for (const replica of ['a', 'b']) {
          const limit = delta.base.get(replica);
          const dead = new Set<number>();
          for (const [start, end] of delta.dead.get(replica) ?? []) for (let c = start; c <= end; c++) dead.add(c);
          for (let c = 1; c <= limit; c++) expect(dead.has(c)).toBe(!reference.has(`${replica}:${c}`));
        }
        expect(delta.entries).toEqual(sorted([...reference.values()].filter((d) => d.counter > delta.base.get(d.replica))));
      }),
      runs(300),
    );
  });
});
