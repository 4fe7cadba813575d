/**
 * Found in review of `tandem/redux`: while the binding wrote a dispatch's entities, it
 * ignored every event of the document, and a dispatch nested in those writes wrote from
 * inside them. So (1) a document listener that rewrote an entity as the binding wrote it
 * (a normaliser) left the store with the old entity for good, while every other replica
 * got the new one; (2) a dispatch made from a document listener had its entity overwritten
 * by the older value the outer writes still held, and the store was then sent back to it.
 */
import { combineReducers, compose, legacy_createStore, type StoreEnhancer, type UnknownAction } from 'redux';
import { expect, it } from 'vitest';
import { LWWMap } from '../../src/crdt/index.js';
import { REMOTE_CHANGE, bindSlices, type BoundSlices, type ReduxBindingError } from '../../src/redux/index.js';

type Todo = { readonly text: string };
type Todos = Readonly<Record<string, Todo>>;

/** `todo/set` sets several todos in one dispatch. */
function todos(state: Todos = {}, action: UnknownAction): Todos {
  if (action.type !== 'todo/set') return state;
  return { ...state, ...(action.payload as Todos) };
}

function bound(doc: LWWMap) {
  const types: string[] = [];
  const errors: ReduxBindingError[] = [];
  const log = (state: readonly string[] = [], action: UnknownAction): readonly string[] => {
    types.push(action.type);
    return state;
  };
  const enhancer: StoreEnhancer<{ readonly tandem: BoundSlices }> = compose(bindSlices({ todos: doc }, { onError: (e) => errors.push(e) }));
  const store = legacy_createStore(combineReducers({ todos, log }), enhancer);
  return { store, types, errors };
}

it('an entity a document listener rewrites while the binding writes reaches the store', () => {
  const doc = new LWWMap({ replica: 'a' });
  const { store, types, errors } = bound(doc);
  doc.on('change', (event) => {
    for (const id of event.keys) {
      const todo = doc.get(id) as Todo | undefined;
      if (todo !== undefined && todo.text !== todo.text.trim()) doc.set(id, { text: todo.text.trim() });
    }
  });
  store.dispatch({ type: 'todo/set', payload: { t1: { text: ' milk ' }, t2: { text: 'eggs' } } });
  expect(Object.fromEntries(doc.entries())).toEqual({ t1: { text: 'milk' }, t2: { text: 'eggs' } });
  expect(store.getState().todos).toEqual({ t1: { text: 'milk' }, t2: { text: 'eggs' } });
  // One remote change, naming only the entity the listener rewrote.
  expect(types.filter((t) => t === REMOTE_CHANGE)).toHaveLength(1);
  expect(errors).toEqual([]);
});

it('a dispatch nested in the binding’s writes is written after them, not overwritten by them', () => {
  const doc = new LWWMap({ replica: 'a' });
  const { store, types, errors } = bound(doc);
  let answered = false;
  doc.on('change', (event) => {
    if (answered || !event.keys.includes('t1')) return;
    answered = true;
    store.dispatch({ type: 'todo/set', payload: { t2: { text: 'newer' } } });
  });
  store.dispatch({ type: 'todo/set', payload: { t1: { text: 'milk' }, t2: { text: 'older' } } });
  expect(answered).toBe(true);
  expect(store.getState().todos).toEqual({ t1: { text: 'milk' }, t2: { text: 'newer' } });
  expect(Object.fromEntries(doc.entries())).toEqual({ t1: { text: 'milk' }, t2: { text: 'newer' } });
  // The binding's own writes are not dispatched back.
  expect(types.filter((t) => t === REMOTE_CHANGE)).toEqual([]);
  expect(errors).toEqual([]);
});
