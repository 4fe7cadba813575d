import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Replicated } from '../../src/index.js';
import { runs } from '../helpers/property.js';
import { adapters, type Adapter } from './adapters.js';
import { fingerprint, heal, load, play, scenario } from './network.js';

/** Three reachable states: the replicas of a random run, before healing. */
function states(adapter: Adapter) {
  return scenario(adapter, 3, 3, 40).map(({ replicas, actions }) => play(adapter, replicas, actions).replicas);
}

/** A fresh observer replica that merges `frames` in order. */
function merged(adapter: Adapter, ...frames: Uint8Array[]): Replicated {
  const r = load(adapter, 'observer', frames[0]!);
  for (const f of frames.slice(1)) r.apply(f);
  return r;
}

describe.each(adapters)('$name merge laws', (adapter) => {
  it('merge is commutative, associative and idempotent on reachable states', () => {
    fc.assert(
      fc.property(states(adapter), ([a, b, c]) => {
        const [x, y, z] = [a!.encode(), b!.encode(), c!.encode()];
        const print = (r: Replicated) => fingerprint(adapter, r);
        expect(print(merged(adapter, x, y))).toEqual(print(merged(adapter, y, x)));
        const left = merged(adapter, merged(adapter, x, y).encode(), z);
        const right = merged(adapter, x, merged(adapter, y, z).encode());
        expect(print(left)).toEqual(print(right));
        expect(print(merged(adapter, x, x))).toEqual(print(merged(adapter, x)));
        expect(print(merged(adapter, x)).bytes).toBe(Buffer.from(x).toString('hex'));
      }),
      runs(150),
    );
  });

  it("a delta b.encode(a.version()) gives a the same state as b's whole state", () => {
    fc.assert(
      fc.property(states(adapter), fc.boolean(), ([a, b], partlySynced) => {
        if (partlySynced) a!.apply(b!.encode());
        const viaDelta = load(adapter, a!.replica, a!.encode());
        const viaState = load(adapter, a!.replica, a!.encode());
        viaDelta.apply(b!.encode(a!.version()));
        viaState.apply(b!.encode());
        expect(fingerprint(adapter, viaDelta)).toEqual(fingerprint(adapter, viaState));
      }),
      runs(150),
    );
  });

  it('a delta cut from a version the receiver lacks is held, then applied once it catches up', () => {
    fc.assert(
      fc.property(states(adapter), fc.array(adapter.op, { minLength: 1, maxLength: 5 }), ([a, b], ops) => {
        // b learns a's state, edits, and sends a delta cut from a's *new* version to a
        // replica that still has a's old state.
        const stale = load(adapter, 'stale', a!.encode());
        for (const op of ops) adapter.perform(a!, op);
        b!.apply(a!.encode());
        for (const op of ops) adapter.perform(b!, op);
        const delta = b!.encode(a!.version());
        stale.apply(delta);
        const pending = (stale as unknown as { pending: number }).pending;
        stale.apply(a!.encode());
        expect((stale as unknown as { pending: number }).pending).toBe(0);
        const reference = load(adapter, 'stale', a!.encode());
        reference.apply(b!.encode());
        expect(fingerprint(adapter, stale)).toEqual(fingerprint(adapter, reference));
        // Counters merge any delta at once; every other type held it unless it needed nothing.
        if (pending === 1) expect(adapter.name).not.toMatch(/Counter/);
      }),
      runs(100),
    );
  });

  it('anti-entropy after any history reaches the join of all states', () => {
    fc.assert(
      fc.property(scenario(adapter, 2, 4, 40), ({ replicas, actions }) => {
        const world = play(adapter, replicas, actions);
        const join = merged(adapter, ...world.replicas.map((r) => r.encode()));
        heal(world);
        expect(fingerprint(adapter, world.replicas[0]!).value).toEqual(fingerprint(adapter, join).value);
        expect(world.replicas[0]!.version()).toEqual(join.version());
      }),
      runs(100),
    );
  });
});
