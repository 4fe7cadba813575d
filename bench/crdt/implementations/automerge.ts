/**
 * Automerge. Maps, sets and registers are keys of the document's root map (a set maps
 * each element to `true`; a register is one key). The counter is an `A.Counter` under
 * one key: Automerge needs that object created once, so one creator replica makes it and
 * every replica starts from a copy of that document, as real Automerge peers do. A
 * whole-state update is `A.save`; merging is one `A.load` of their concatenation
 * (Automerge's storage format is a sequence of such chunks, and this is the fastest of
 * its merge paths, well ahead of `A.loadIncremental` per update; see bench/README.md).
 */
import * as A from '@automerge/automerge';
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
import { CREATOR, MERGER, automergeActorId } from '../../replica-ids.js';

type Root = Record<string, unknown>;
type CounterRoot = { counter: A.Counter };

const COUNTER_KEY = 'counter';
const REGISTER_KEY = 'value';

/** Runs `edit` once per replica, each on its own document in one change. */
function encodeEach<T, Op>(
  start: (actor: string) => A.Doc<T>,
  replicas: readonly (readonly Op[])[],
  edit: (doc: T, op: Op) => void,
): Uint8Array[] {
  return replicas.map((ops, index) => {
    const doc = A.change(start(automergeActorId(index)), (draft) => {
      for (const op of ops) edit(draft, op);
    });
    return A.save(doc);
  });
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const all = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

function mergeAll<T>(updates: readonly Uint8Array[]): A.Doc<T> {
  return A.load<T>(concat(updates), automergeActorId(MERGER));
}

function emptyRoot(actor: string): A.Doc<Root> {
  return A.init<Root>(actor);
}

const counter: CounterImplementation = {
  library: 'automerge',
  type: 'A.Counter',
  decrements: true,
  slowBuild: {
    opsPerReplica: 10_000,
    reason:
      'each increment of one Automerge counter costs time in proportion to the increments ' +
      'before it, so building 100k of them takes about 4.5 minutes; run with --full',
  },
  encode(replicas) {
    const created = A.save(
      A.from<CounterRoot>({ counter: new A.Counter() }, automergeActorId(CREATOR)),
    );
    return encodeEach<CounterRoot, number>(
      (actor) => A.load<CounterRoot>(created, actor),
      replicas,
      (doc, step) => doc.counter.increment(step),
    );
  },
  merge(updates): CounterView {
    const doc = mergeAll<CounterRoot>(updates);
    return { value: doc.counter.value };
  },
};

const map: MapImplementation = {
  library: 'automerge',
  type: 'root map',
  encode: (replicas) =>
    encodeEach(emptyRoot, replicas, (doc, op) => {
      doc[op.key] = op.value;
    }),
  merge(updates): MapView {
    const doc = mergeAll<Root>(updates);
    return { size: Object.keys(doc).length, get: (key) => doc[key] };
  },
};

const set: SetImplementation = {
  library: 'automerge',
  type: 'root map, element → true',
  encode: (replicas) =>
    encodeEach(emptyRoot, replicas, (doc, element) => {
      doc[element] = true;
    }),
  merge(updates): SetView {
    const doc = mergeAll<Root>(updates);
    return { size: Object.keys(doc).length, has: (element) => doc[element] === true };
  },
};

const register: RegisterImplementation = {
  library: 'automerge',
  type: 'root map, one key',
  keepsConcurrent: false,
  encode: (replicas) =>
    encodeEach(emptyRoot, replicas, (doc, value) => {
      doc[REGISTER_KEY] = value;
    }),
  merge(updates): RegisterView {
    const doc = mergeAll<Root>(updates);
    return { values: REGISTER_KEY in doc ? [doc[REGISTER_KEY]] : [] };
  },
};

export const implementations: LibraryImplementations = {
  counters: [counter],
  maps: [map],
  sets: [set],
  registers: [register],
};
