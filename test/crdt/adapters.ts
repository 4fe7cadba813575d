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
  List,
  LWWMap,
  LWWRegister,
  MVRegister,
  PNCounter,
  RWSet,
  Text,
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

/**
 * Where a sequence operation lands, as plain data: `'front'`, `'end'`, or a number taken
 * modulo the length plus one (the middle, mostly).
 */
const place = fc.oneof(fc.constant('front'), fc.constant('end'), fc.nat(10_000));

/** The index `where` names in a sequence of `length` items. */
function indexOf(where: JsonValue | undefined, length: number): number {
  return where === 'front' ? 0 : where === 'end' ? length : (where as number) % (length + 1);
}

/** Characters for random text: ASCII, a two-unit emoji, a combining mark. */
const characters = fc.constantFrom('a', 'b', 'c', 'x', ' ', '\n', '😀', '𝄞', 'é', '\u0301');

/** Random text of 1 to 6 characters; astral ones are whole surrogate pairs. */
const chunk = fc.array(characters, { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));

/** `index` moved back off the middle of a surrogate pair of `text`, if it is there. */
export function whole(text: string, index: number): number {
  const high = text.charCodeAt(index - 1);
  return index > 0 && index < text.length && high >= 0xd800 && high <= 0xdbff ? index - 1 : index;
}

/**
 * Random sequence operations: inserts of several items at the front, the end or the
 * middle, and deletes of up to 12 items, which span runs of several replicas once
 * replicas have merged.
 */
function sequenceOp(content: fc.Arbitrary<JsonValue>): fc.Arbitrary<Op> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constant('insert'), place, content) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('delete'), place, fc.integer({ min: 1, max: 12 })) },
  );
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
  {
    name: 'Text',
    create: (replica, _now, limits) => new Text(limits === undefined ? { replica } : { replica, limits }),
    op: sequenceOp(chunk),
    perform(r, [method, where, arg]) {
      const text = r as Text;
      const s = text.toString();
      const index = whole(s, indexOf(where, s.length));
      if (method === 'insert') text.insert(index, arg as string);
      else text.delete(index, whole(s, Math.min(s.length, index + (arg as number))) - index);
    },
    value: (r) => {
      const text = r as Text;
      return { text: text.toString(), length: text.length };
    },
  },
  {
    name: 'List',
    create: (replica, _now, limits) => new List(limits === undefined ? { replica } : { replica, limits }),
    op: sequenceOp(fc.array(element, { minLength: 1, maxLength: 5 })),
    perform(r, [method, where, arg]) {
      const list = r as List;
      const index = indexOf(where, list.length);
      if (method === 'insert') list.insert(index, ...(arg as JsonValue[]));
      else list.delete(index, Math.min(list.length - index, arg as number));
    },
    value: (r) => {
      const list = r as List;
      return { items: list.toArray(), length: list.length };
    },
  },
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
