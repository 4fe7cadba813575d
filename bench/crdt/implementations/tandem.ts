/**
 * Tandem: every type of `src/crdt`. A whole-state update is `encode()` with no version;
 * merging constructs a new replica and calls `apply` once per update.
 */
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
} from '../../../src/crdt/index.js';
import type {
  CounterImplementation,
  CounterOp,
  LibraryImplementations,
  MapImplementation,
  MapOp,
  RegisterImplementation,
  RegisterOp,
  SetImplementation,
  SetOp,
} from '../interfaces.js';
import { MERGER, tandemReplicaId } from '../../replica-ids.js';

/** What every Tandem type offers for state transfer. */
interface Replica {
  encode(): Uint8Array;
  apply(update: Uint8Array): void;
}

/** A Tandem type's constructor, as every type in `src/crdt` has it. */
type ReplicaConstructor<R extends Replica> = new (options: { replica: string }) => R;

interface CounterReplica extends Replica {
  increment(n: number): void;
  readonly value: number;
}

interface MapReplica extends Replica {
  set(key: string, value: number): void;
  get(key: string): unknown;
  readonly size: number;
}

interface SetReplica extends Replica {
  add(element: string): void;
  has(element: string): boolean;
  readonly size: number;
}

interface RegisterReplica extends Replica {
  set(value: number): void;
}

/** Runs `replicas[i]` on a new replica `i` through `edit`, and encodes each. */
function encodeEach<R extends Replica, Op>(
  Type: ReplicaConstructor<R>,
  replicas: readonly (readonly Op[])[],
  edit: (replica: R, op: Op) => void,
): Uint8Array[] {
  return replicas.map((ops, index) => {
    const replica = new Type({ replica: tandemReplicaId(index) });
    for (const op of ops) edit(replica, op);
    return replica.encode();
  });
}

function mergeAll<R extends Replica>(
  Type: ReplicaConstructor<R>,
  updates: readonly Uint8Array[],
): R {
  const replica = new Type({ replica: tandemReplicaId(MERGER) });
  for (const update of updates) replica.apply(update);
  return replica;
}

function counter<R extends CounterReplica>(
  type: string,
  Type: ReplicaConstructor<R>,
  decrement?: (replica: R, n: number) => void,
): CounterImplementation {
  return {
    library: 'tandem',
    type,
    decrements: decrement !== undefined,
    encode: (replicas) =>
      encodeEach<R, CounterOp>(Type, replicas, (replica, step) => {
        if (step > 0) replica.increment(step);
        else if (decrement !== undefined) decrement(replica, -step);
        else throw new RangeError(`${type} cannot step by ${step}`);
      }),
    merge: (updates) => ({ value: mergeAll(Type, updates).value }),
  };
}

function map<R extends MapReplica>(type: string, Type: ReplicaConstructor<R>): MapImplementation {
  return {
    library: 'tandem',
    type,
    encode: (replicas) =>
      encodeEach<R, MapOp>(Type, replicas, (replica, op) => replica.set(op.key, op.value)),
    merge(updates) {
      const merged = mergeAll(Type, updates);
      return { size: merged.size, get: (key) => merged.get(key) };
    },
  };
}

function set<R extends SetReplica>(type: string, Type: ReplicaConstructor<R>): SetImplementation {
  return {
    library: 'tandem',
    type,
    encode: (replicas) =>
      encodeEach<R, SetOp>(Type, replicas, (replica, element) => replica.add(element)),
    merge(updates) {
      const merged = mergeAll(Type, updates);
      return { size: merged.size, has: (element) => merged.has(element) };
    },
  };
}

function register<R extends RegisterReplica>(
  type: string,
  Type: ReplicaConstructor<R>,
  values: (replica: R) => readonly unknown[],
  keepsConcurrent: boolean,
): RegisterImplementation {
  return {
    library: 'tandem',
    type,
    keepsConcurrent,
    encode: (replicas) =>
      encodeEach<R, RegisterOp>(Type, replicas, (replica, value) => replica.set(value)),
    merge: (updates) => ({ values: values(mergeAll(Type, updates)) }),
  };
}

export const implementations: LibraryImplementations = {
  counters: [
    counter('GCounter', GCounter),
    counter('PNCounter', PNCounter, (replica, n) => replica.decrement(n)),
  ],
  maps: [map('LWWMap', LWWMap<number>), map('AWMap', AWMap<number>)],
  sets: [
    set('GSet', GSet<string>),
    set('TwoPhaseSet', TwoPhaseSet<string>),
    set('AWSet', AWSet<string>),
    set('RWSet', RWSet<string>),
  ],
  registers: [
    register(
      'LWWRegister',
      LWWRegister<number>,
      (replica) => {
        const value = replica.get();
        return value === undefined ? [] : [value];
      },
      false,
    ),
    register('MVRegister', MVRegister<number>, (replica) => replica.values(), true),
  ],
};
