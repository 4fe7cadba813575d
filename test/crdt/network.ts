/**
 * A seeded model of an unreliable network between replicas of one type: operations,
 * sends of whole states or deltas (cut from the receiver's current or an older version),
 * delivery in any order, duplication and loss. Loss is repaired at the end by
 * anti-entropy, as a real sync layer retransmits.
 */
import fc from 'fast-check';
import type { Replicated, Version } from '../../src/index.js';
import { clocks, type Adapter, type Op } from './adapters.js';

export type Action =
  | readonly ['op', number, Op]
  | readonly ['send', number, number, 'full' | 'delta' | 'stale']
  | readonly ['deliver', number, boolean]
  | readonly ['drop', number];

/** A random scenario: how many replicas, and what happens. */
export function scenario(adapter: Adapter, minReplicas = 3, maxReplicas = 5, maxActions = 60) {
  return fc.integer({ min: minReplicas, max: maxReplicas }).chain((n) =>
    fc.record({
      replicas: fc.constant(n),
      actions: fc.array(
        fc.oneof(
          { weight: 4, arbitrary: fc.tuple(fc.constant('op' as const), fc.nat(n - 1), adapter.op) },
          {
            weight: 3,
            arbitrary: fc.tuple(fc.constant('send' as const), fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom('full' as const, 'delta' as const, 'stale' as const)),
          },
          { weight: 3, arbitrary: fc.tuple(fc.constant('deliver' as const), fc.nat(), fc.boolean()) },
          { weight: 1, arbitrary: fc.tuple(fc.constant('drop' as const), fc.nat()) },
        ),
        { maxLength: maxActions, size: 'medium' },
      ),
    }),
  );
}

export interface World {
  readonly replicas: Replicated[];
  readonly inflight: { to: number; bytes: Uint8Array }[];
  /** Every version each replica has had, for stale deltas. */
  readonly history: Version[][];
}

/** Runs the actions, with no final repair. */
export function play(adapter: Adapter, replicas: number, actions: readonly Action[]): World {
  const clock = clocks();
  const world: World = {
    replicas: Array.from({ length: replicas }, (_, i) => adapter.create(`r${i}`, clock(i * 3 - 4))),
    inflight: [],
    history: Array.from({ length: replicas }, () => [{}]),
  };
  const note = (i: number) => world.history[i]!.push(world.replicas[i]!.version());
  for (const action of actions) {
    switch (action[0]) {
      case 'op': {
        adapter.perform(world.replicas[action[1]]!, action[2]);
        note(action[1]);
        break;
      }
      case 'send': {
        const [, from, to, mode] = action;
        if (from === to) break;
        const sender = world.replicas[from]!;
        const past = world.history[to]!;
        const since = mode === 'full' ? undefined : mode === 'delta' ? world.replicas[to]!.version() : past[(from * 7 + to) % past.length]!;
        world.inflight.push({ to, bytes: sender.encode(since) });
        break;
      }
      case 'deliver': {
        if (world.inflight.length === 0) break;
        const k = action[1] % world.inflight.length;
        const message = world.inflight[k]!;
        if (!action[2]) world.inflight.splice(k, 1);
        world.replicas[message.to]!.apply(message.bytes);
        note(message.to);
        break;
      }
      case 'drop': {
        if (world.inflight.length > 0) world.inflight.splice(action[1] % world.inflight.length, 1);
        break;
      }
    }
  }
  return world;
}

/** Delivers what is still in flight, then runs anti-entropy rounds until quiescence. */
export function heal(world: World): void {
  for (const message of world.inflight.splice(0)) world.replicas[message.to]!.apply(message.bytes);
  const rs = world.replicas;
  for (let round = 0; round < rs.length + 2; round++) {
    for (const a of rs) for (const b of rs) if (a !== b) b.apply(a.encode(b.version()));
  }
}

/** A replica of `adapter` holding exactly the state `bytes` describes. */
export function load(adapter: Adapter, replica: string, bytes: Uint8Array): Replicated {
  const r = adapter.create(replica, clocks()(0));
  r.apply(bytes);
  return r;
}

/** Everything observable about a replica, for before/after and cross-replica comparison. */
export function fingerprint(adapter: Adapter, r: Replicated) {
  return { value: adapter.value(r), version: r.version(), bytes: Buffer.from(r.encode()).toString('hex') };
}
