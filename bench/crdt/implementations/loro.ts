/**
 * Loro. The counter is a root `LoroCounter`; maps, sets and registers are a root
 * `LoroMap` (a set maps each element to `true`; a register is one key). Each replica's
 * ops are one commit. A whole-state update follows Loro's own advice: a snapshot
 * (`mode: 'snapshot'`) when one replica's state is loaded, all of a replica's ops
 * (`mode: 'update'`) when many replicas are merged; each is the faster of the two for its
 * shape. Merging hands every update to `doc.importBatch` on a new `LoroDoc`, Loro's fast
 * path for many updates.
 */
import { LoroDoc, type LoroMap } from 'loro-crdt';
import type {
  CounterImplementation,
  CounterView,
  LibraryImplementations,
  MapImplementation,
  MapView,
  RegisterImplementation,
  RegisterView,
  SetImplementation,
  SetView,
} from '../interfaces.js';
import { MERGER, loroPeerId } from '../../replica-ids.js';

const ROOT = 'bench';
const REGISTER_KEY = 'value';

function newDoc(index: number): LoroDoc {
  const doc = new LoroDoc();
  doc.setPeerId(loroPeerId(index));
  return doc;
}

/** Runs `edit` once per replica, each on its own document in one commit. */
function encodeEach<Op>(
  replicas: readonly (readonly Op[])[],
  edit: (doc: LoroDoc, op: Op) => void,
): Uint8Array[] {
  return replicas.map((ops, index) => {
    const doc = newDoc(index);
    for (const op of ops) edit(doc, op);
    doc.commit();
    const update = doc.export({ mode: replicas.length === 1 ? 'snapshot' : 'update' });
    doc.free();
    return update;
  });
}

function mergeAll(updates: readonly Uint8Array[]): LoroDoc {
  const doc = newDoc(MERGER);
  doc.importBatch([...updates]);
  return doc;
}

function mapOf(doc: LoroDoc): LoroMap {
  return doc.getMap(ROOT);
}

const counter: CounterImplementation = {
  library: 'loro',
  type: 'LoroCounter',
  decrements: true,
  encode: (replicas) =>
    encodeEach<number>(replicas, (doc, step) => doc.getCounter(ROOT).increment(step)),
  merge(updates): CounterView {
    return { value: mergeAll(updates).getCounter(ROOT).value };
  },
};

const map: MapImplementation = {
  library: 'loro',
  type: 'LoroMap',
  encode: (replicas) => encodeEach(replicas, (doc, op) => mapOf(doc).set(op.key, op.value)),
  merge(updates): MapView {
    const merged = mapOf(mergeAll(updates));
    return { size: merged.size, get: (key) => merged.get(key) };
  },
};

const set: SetImplementation = {
  library: 'loro',
  type: 'LoroMap, element → true',
  encode: (replicas) => encodeEach(replicas, (doc, element) => mapOf(doc).set(element, true)),
  merge(updates): SetView {
    const merged = mapOf(mergeAll(updates));
    return { size: merged.size, has: (element) => merged.get(element) === true };
  },
};

const register: RegisterImplementation = {
  library: 'loro',
  type: 'LoroMap, one key',
  keepsConcurrent: false,
  encode: (replicas) =>
    encodeEach(replicas, (doc, value) => mapOf(doc).set(REGISTER_KEY, value)),
  merge(updates): RegisterView {
    const merged = mapOf(mergeAll(updates));
    const value = merged.get(REGISTER_KEY);
    return { values: value === undefined ? [] : [value] };
  },
};

export const implementations: LibraryImplementations = {
  counters: [counter],
  maps: [map],
  sets: [set],
  registers: [register],
};
