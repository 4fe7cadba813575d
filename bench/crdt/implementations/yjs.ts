/**
 * Yjs. Every family is a root `Y.Map`, the only keyed type Yjs has; it has no counter, so
 * a counter is the usual Yjs idiom: a key per replica holding that replica's running sum,
 * the value being the sum over keys. A whole-state update is `Y.encodeStateAsUpdateV2`
 * when one replica's state is merged and `Y.encodeStateAsUpdate` (v1) when many are:
 * whichever of the two merges faster for that shape (bench/README.md has the numbers).
 * Merging applies every update inside one transaction of a new `Y.Doc`.
 */
import * as Y from 'yjs';
import type {
  CounterImplementation,
  CounterOp,
  CounterView,
  LibraryImplementations,
  MapImplementation,
  MapView,
  RegisterImplementation,
  RegisterView,
  SetImplementation,
  SetView,
} from '../interfaces.js';
import { MERGER, yjsClientId } from '../../replica-ids.js';

const ROOT = 'bench';
const REGISTER_KEY = 'value';

function newDoc(index: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = yjsClientId(index);
  return doc;
}

/** Runs `edit` once per replica, each on its own document in one transaction. */
function encodeEach<Op>(
  replicas: readonly (readonly Op[])[],
  edit: (map: Y.Map<unknown>, op: Op, doc: Y.Doc) => void,
): Uint8Array[] {
  return replicas.map((ops, index) => {
    const doc = newDoc(index);
    const map = doc.getMap<unknown>(ROOT);
    doc.transact(() => {
      for (const op of ops) edit(map, op, doc);
    });
    return replicas.length === 1 ? Y.encodeStateAsUpdateV2(doc) : Y.encodeStateAsUpdate(doc);
  });
}

function mergeAll(updates: readonly Uint8Array[]): Y.Map<unknown> {
  const doc = newDoc(MERGER);
  const apply = updates.length === 1 ? Y.applyUpdateV2 : Y.applyUpdate;
  doc.transact(() => {
    for (const update of updates) apply(doc, update);
  });
  return doc.getMap<unknown>(ROOT);
}

const counter: CounterImplementation = {
  library: 'yjs',
  type: 'Y.Map, a key per replica',
  decrements: true,
  encode: (replicas) =>
    encodeEach<CounterOp>(replicas, (map, step, doc) => {
      const key = String(doc.clientID);
      const sum = map.get(key);
      map.set(key, (typeof sum === 'number' ? sum : 0) + step);
    }),
  merge(updates): CounterView {
    const map = mergeAll(updates);
    let value = 0;
    map.forEach((sum) => {
      if (typeof sum === 'number') value += sum;
    });
    return { value };
  },
};

const map: MapImplementation = {
  library: 'yjs',
  type: 'Y.Map',
  encode: (replicas) => encodeEach(replicas, (target, op) => target.set(op.key, op.value)),
  merge(updates): MapView {
    const merged = mergeAll(updates);
    return { size: merged.size, get: (key) => merged.get(key) };
  },
};

const set: SetImplementation = {
  library: 'yjs',
  type: 'Y.Map, element → true',
  encode: (replicas) => encodeEach(replicas, (target, element) => target.set(element, true)),
  merge(updates): SetView {
    const merged = mergeAll(updates);
    return { size: merged.size, has: (element) => merged.get(element) === true };
  },
};

const register: RegisterImplementation = {
  library: 'yjs',
  type: 'Y.Map, one key',
  keepsConcurrent: false,
  encode: (replicas) => encodeEach(replicas, (target, value) => target.set(REGISTER_KEY, value)),
  merge(updates): RegisterView {
    const merged = mergeAll(updates);
    return { values: merged.has(REGISTER_KEY) ? [merged.get(REGISTER_KEY)] : [] };
  },
};

export const implementations: LibraryImplementations = {
  counters: [counter],
  maps: [map],
  sets: [set],
  registers: [register],
};
