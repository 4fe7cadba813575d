/**
 * Convergence of bound stores: 2–3 stores, each bound to its own replica of one map, take
 * random local actions (add, edit, toggle, delete on a few shared ids) while the updates
 * their documents make travel through a network that delivers them in any order, and
 * sometimes twice. Once every update is delivered, every store's slice equals its
 * document's entries, and all of them are equal. Slices are records by id, or
 * `{ ids, entities }` (whose ids each store orders its own way).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AWMap, LWWMap } from '../../src/crdt/index.js';
import { runs } from '../helpers/property.js';
import { combineReducers, legacy_createStore, type Store } from 'redux';
import { bindSlices, entityStateSlice, type ReduxBindingError } from '../../src/redux/index.js';
import { added, deleted, edited, todoStore, todoTable, toggled, type TodoTable, type Todos } from './harness.js';

type Step =
  | { readonly kind: 'act'; readonly store: number; readonly action: 'add' | 'edit' | 'toggle' | 'delete'; readonly id: string; readonly text: string }
  | { readonly kind: 'deliver'; readonly pick: number }
  | { readonly kind: 'duplicate'; readonly pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      store: fc.nat(2),
      action: fc.constantFrom('add' as const, 'edit' as const, 'toggle' as const, 'delete' as const),
      id: fc.constantFrom('a', 'b', 'c', 'd'),
      text: fc.constantFrom('milk', 'eggs', 'tea'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }) },
);

interface Message {
  readonly to: number;
  readonly update: Uint8Array;
}

/** A store bound to `doc`: its todos by id, and the faults the binding reported. */
interface Bound {
  readonly store: Store;
  entities(): Todos;
  readonly errors: readonly ReduxBindingError[];
}

function recordStore(doc: LWWMap | AWMap): Bound {
  const { store, errors } = todoStore(doc);
  return { store, errors, entities: () => store.getState().todos };
}

function tableStore(doc: LWWMap | AWMap): Bound {
  const errors: ReduxBindingError[] = [];
  const store = legacy_createStore(
    combineReducers({ todos: todoTable }),
    bindSlices({ todos: { document: doc, adapter: entityStateSlice() } }, { onError: (e) => errors.push(e) }),
  );
  return {
    store,
    errors,
    entities: () => {
      const table: TodoTable = store.getState().todos;
      expect([...table.ids].sort()).toEqual(Object.keys(table.entities).sort());
      return table.entities;
    },
  };
}

describe.each([
  ['records in an LWWMap', LWWMap, recordStore],
  ['records in an AWMap', AWMap, recordStore],
  ['{ ids, entities } in an LWWMap', LWWMap, tableStore],
] as const)('bound stores converge: %s', (_, Type, bind) => {
  it('at quiescence every slice equals every document', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }), fc.array(step, { minLength: 10, maxLength: 60 }), (count, steps) => {
        let clock = 0;
        const now = () => Math.floor(clock++ / 3);
        const docs = Array.from({ length: count }, (_, i) => new Type({ replica: `r${i}`, now }));
        const inFlight: Message[] = [];
        const delivered: Message[] = [];
        // Each local change travels as a delta cut from the version before it.
        docs.forEach((doc, i) => {
          let version = doc.version();
          doc.on('change', (event) => {
            if (event.origin === 'local') {
              const update = doc.encode(version);
              for (let to = 0; to < count; to++) if (to !== i) inFlight.push({ to, update });
            }
            version = doc.version();
          });
        });
        const stores = docs.map((doc) => bind(doc));
        const deliver = (message: Message) => docs[message.to]!.apply(message.update);
        for (const s of steps) {
          if (s.kind === 'act') {
            const action = { add: added(s.id, s.text), edit: edited(s.id, s.text), toggle: toggled(s.id), delete: deleted(s.id) }[s.action];
            stores[s.store % count]!.store.dispatch(action);
          } else if (s.kind === 'deliver' && inFlight.length > 0) {
            const [message] = inFlight.splice(s.pick % inFlight.length, 1);
            delivered.push(message!);
            deliver(message!);
          } else if (s.kind === 'duplicate' && delivered.length > 0) {
            deliver(delivered[s.pick % delivered.length]!);
          }
        }
        while (inFlight.length > 0) deliver(inFlight.shift()!);
        const entries = docs.map((doc) => Object.fromEntries(doc.entries()));
        for (let i = 0; i < count; i++) {
          expect(docs[i]!.pending).toBe(0);
          expect(stores[i]!.entities()).toEqual(entries[i]);
          expect(entries[i]).toEqual(entries[0]);
          expect(stores[i]!.errors).toEqual([]);
        }
      }),
      runs(200),
    );
  });
});
