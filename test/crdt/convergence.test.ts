import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../helpers/property.js';
import { adapters } from './adapters.js';
import { fingerprint, heal, play, scenario } from './network.js';

describe.each(adapters)('$name converges', (adapter) => {
  it('3 to 5 replicas, random operations, reordered, duplicated and lost updates: same value, version and bytes at quiescence', () => {
    fc.assert(
      fc.property(scenario(adapter), ({ replicas, actions }) => {
        const world = play(adapter, replicas, actions);
        heal(world);
        const [first, ...rest] = world.replicas.map((r) => fingerprint(adapter, r));
        for (const other of rest) expect(other).toEqual(first);
        for (const r of world.replicas) expect((r as unknown as { pending: number }).pending).toBe(0);
      }),
      runs(150),
    );
  });

  it('a partition: two groups edit apart, then heal through one link', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), adapter.op), { maxLength: 40 }), (ops) => {
        const world = play(adapter, 4, []);
        const [a, b, c, d] = world.replicas as [typeof world.replicas[0], typeof world.replicas[0], typeof world.replicas[0], typeof world.replicas[0]];
        for (const [i, op] of ops) {
          adapter.perform(world.replicas[i]!, op);
          // Within each side of the partition, replicas keep in sync.
          b.apply(a.encode(b.version()));
          a.apply(b.encode(a.version()));
          d.apply(c.encode(d.version()));
          c.apply(d.encode(c.version()));
        }
        // The partition heals through one link, b <-> c, then spreads.
        c.apply(b.encode(c.version()));
        b.apply(c.encode(b.version()));
        a.apply(b.encode(a.version()));
        d.apply(c.encode(d.version()));
        const prints = world.replicas.map((r) => fingerprint(adapter, r));
        for (const p of prints) expect(p).toEqual(prints[0]);
      }),
      runs(100),
    );
  });
});
