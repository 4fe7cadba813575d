/**
 * One adapter per replicated type: how to make a replica, which random operations it
 * takes, and what its observable value is. Every battery (convergence, laws, deltas,
 * codec robustness, JSON twin, events) runs over every adapter, so a new type gets the
 * whole battery by adding an adapter here.
 */
import fc from 'fast-check';
import {
  AWMap,
  AWSet,
  GCounter,
  GSet,
  LWWMap,
  LWWRegister,
  MVRegister,
  PNCounter,
  RWSet,
  TwoPhaseSet,
  type DecodeLimits,
  type JsonValue,
  type Replicated,
} from '../../src/index.js';

/** A local operation, as plain data so fast-check can print and shrink it. */
export type Op = readonly [name: string, ...args: JsonValue[]];

export interface Adapter {
  readonly name: string;
  /** A new replica. `now` is a deterministic physical clock for the LWW types. */
  create(replica: string, now: () => number, limits?: Partial<DecodeLimits>): Replicated;
  /** Random operations. Elements come from a small pool so that operations collide. */
  readonly op: fc.Arbitrary<Op>;
  /** Performs an operation; an operation the type refuses by design is skipped. */
  perform(r: Replicated, op: Op): void;
  /** The observable value, comparable with `toEqual`. */
  value(r: Replicated): unknown;
}

/** A small pool of JSON values, with look-alikes that must stay distinct ("1" vs 1) or equal. */
export const element: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom<JsonValue>('a', 'b', '1', 1, 2, null, true, '__proto__', 'constructor', { x: 1, y: [2] }, { y: [2], x: 1 }, [1, 'a']),
  fc.integer({ min: -3, max: 3 }),
);

const keys = fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor', 'prototype', '');

type SetLike = Replicated & { add(v: JsonValue): unknown; delete(v: JsonValue): boolean; values(): JsonValue[]; size: number };
type MapLike = Replicated & { set(k: string, v: JsonValue): unknown; delete(k: string): boolean; entries(): [string, JsonValue][]; size: number };

/** Constructor options, leaving `limits` out when not given. */
export function options(replica: string, now: () => number, limits?: Partial<DecodeLimits>) {
  return limits === undefined ? { replica, now } : { replica, now, limits };
}

function setAdapter(name: string, make: (o: ReturnType<typeof options>) => SetLike, canDelete: boolean): Adapter {
  return {
    name,
    create: (replica, now, limits) => make(options(replica, now, limits)),
    op: canDelete
      ? fc.oneof(fc.tuple(fc.constant('add'), element), fc.tuple(fc.constant('delete'), element))
      : fc.tuple(fc.constant('add'), element),
    perform(r, [method, v]) {
      const set = r as SetLike;
      if (method === 'add') {
        try {
          set.add(v!);
        } catch (e) {
          // A TwoPhaseSet refuses to re-add a removed element; that is its contract.
          if (!(e instanceof RangeError && name === 'TwoPhaseSet')) throw e;
        }
      } else set.delete(v!);
    },
    value: (r) => {
      const set = r as SetLike;
      return { values: set.values(), size: set.size };
    },
  };
}

function mapAdapter(name: string, make: (o: ReturnType<typeof options>) => MapLike): Adapter {
  return {
    name,
    create: (replica, now, limits) => make(options(replica, now, limits)),
    op: fc.oneof(fc.tuple(fc.constant('set'), keys, element), fc.tuple(fc.constant('delete'), keys)),
    perform(r, [method, k, v]) {
      const map = r as MapLike;
      if (method === 'set') map.set(k as string, v!);
      else map.delete(k as string);
    },
    value: (r) => {
      const map = r as MapLike;
      return { entries: map.entries(), size: map.size };
    },
  };
}

const amount = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(1_000_000_007));

export const adapters: readonly Adapter[] = [
  {
    name: 'GCounter',
    create: (replica, now, limits) => new GCounter(options(replica, now, limits)),
    op: fc.tuple(fc.constant('increment'), amount),
    perform: (r, [, n]) => (r as GCounter).increment(n as number),
    value: (r) => (r as GCounter).value,
  },
  {
    name: 'PNCounter',
    create: (replica, now, limits) => new PNCounter(options(replica, now, limits)),
    op: fc.tuple(fc.constantFrom('increment', 'decrement'), amount),
    perform: (r, [method, n]) => (method === 'increment' ? (r as PNCounter).increment(n as number) : (r as PNCounter).decrement(n as number)),
    value: (r) => (r as PNCounter).value,
  },
  {
    name: 'LWWRegister',
    create: (replica, now, limits) => new LWWRegister(options(replica, now, limits)),
    op: fc.tuple(fc.constant('set'), element),
    perform: (r, [, v]) => (r as LWWRegister).set(v!),
    value: (r) => (r as LWWRegister).get(),
  },
  {
    name: 'MVRegister',
    create: (replica, now, limits) => new MVRegister(options(replica, now, limits)),
    op: fc.tuple(fc.constant('set'), element),
    perform: (r, [, v]) => (r as MVRegister).set(v!),
    value: (r) => (r as MVRegister).values(),
  },
  // GSet has no delete; the adapter never calls it (canDelete = false).
  setAdapter('GSet', (o) => new GSet(o) as unknown as SetLike, false),
  setAdapter('TwoPhaseSet', (o) => new TwoPhaseSet(o), true),
  setAdapter('AWSet', (o) => new AWSet(o), true),
  setAdapter('RWSet', (o) => new RWSet(o), true),
  mapAdapter('LWWMap', (o) => new LWWMap(o)),
  mapAdapter('AWMap', (o) => new AWMap(o)),
];

/**
 * A physical clock that ticks slowly and is shared by all replicas of a test, with a
 * per-replica skew so that timestamps collide and run ahead of one another.
 */
export function clocks(): (skew: number) => () => number {
  let t = 1_700_000_000_000;
  return (skew) => () => {
    t += 0.25;
    return t + skew;
  };
}
