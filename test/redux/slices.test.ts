import { applyMiddleware, combineReducers, compose, legacy_createStore, type Middleware, type StoreEnhancer, type UnknownAction } from 'redux';
import { afterEach, describe, expect, it } from 'vitest';
import { AWMap, LWWMap } from '../../src/crdt/index.js';
import { REMOTE_CHANGE, arraySlice, bindSlices, entityStateSlice, isRemoteChange, type BoundSlices } from '../../src/redux/index.js';
import { world, type World } from '../sync/client/harness.js';
import { added, deleted, edited, reducer, todoStore, toggled, type Todos } from './harness.js';

let w: World;
afterEach(async () => {
  await w.close();
});

/** Two stores, each bound to its own client's replica of one document. */
async function pair() {
  w = world();
  const a = w.client().client;
  const b = w.client().client;
  const docA = await a.open('todos', LWWMap);
  const docB = await b.open('todos', LWWMap);
  const sync = async () => {
    await a.synced();
    await b.synced();
    await a.synced();
  };
  return { a, b, docA, docB, alice: todoStore(docA), bob: todoStore(docB), sync };
}

describe('bindSlices: two stores through a hub', () => {
  it("local actions on each store reach the other, through the other's reducers", async () => {
    const { alice, bob, docA, sync } = await pair();
    alice.store.dispatch(added('t1', 'milk'));
    bob.store.dispatch(added('t2', 'eggs'));
    await sync();
    const both = { t1: { text: 'milk', done: false }, t2: { text: 'eggs', done: false } };
    expect(alice.store.getState().todos).toEqual(both);
    expect(bob.store.getState().todos).toEqual(both);
    expect(Object.fromEntries(docA.entries())).toEqual(both);
    // The unbound `seen` reducer saw each remote change as an ordinary action.
    expect(alice.store.getState().seen).toBe(1);
    expect(bob.store.getState().seen).toBe(1);
    const remote = alice.dispatched.filter((a) => a.type === REMOTE_CHANGE);
    expect(remote).toEqual([{ type: REMOTE_CHANGE, payload: { slice: 'todos', set: { t2: { text: 'eggs', done: false } }, deleted: [] } }]);
  });

  it('concurrent edits of different entities both survive; a delete propagates', async () => {
    const { alice, bob, sync } = await pair();
    alice.store.dispatch(added('t1', 'milk'));
    alice.store.dispatch(added('t2', 'eggs'));
    await sync();
    alice.store.dispatch(edited('t1', 'oat milk'));
    bob.store.dispatch(toggled('t2'));
    await sync();
    const expected = { t1: { text: 'oat milk', done: false }, t2: { text: 'eggs', done: true } };
    expect(alice.store.getState().todos).toEqual(expected);
    expect(bob.store.getState().todos).toEqual(expected);
    bob.store.dispatch(deleted('t1'));
    await sync();
    expect(alice.store.getState().todos).toEqual({ t2: { text: 'eggs', done: true } });
    expect(bob.store.getState().todos).toEqual({ t2: { text: 'eggs', done: true } });
  });

  it('writes only the entities a dispatch changed, and nothing echoes', async () => {
    const { a, alice, bob, docA, sync } = await pair();
    alice.store.dispatch(added('t1', 'milk'));
    alice.store.dispatch(added('t2', 'eggs'));
    await sync();
    const version = () => docA.version()[a.client!] ?? 0;
    const before = version();
    alice.store.dispatch(toggled('t1'));
    expect(version()).toBe(before + 1);
    alice.store.dispatch({ type: 'unrelated' });
    alice.store.dispatch(edited('t1', 'milk')); // same text: a new object equal to the document's value
    expect(version()).toBe(before + 1);
    await sync();
    await sync();
    // Bob dispatched nothing himself: one remote change per update of Alice's (her two adds
    // left as one), and no writes of his own.
    expect(bob.dispatched.map((x) => x.type)).toEqual([REMOTE_CHANGE, REMOTE_CHANGE]);
    expect(bob.store.getState().seen).toBe(2);
    expect(alice.dispatched.filter((x) => x.type === REMOTE_CHANGE)).toEqual([]);
    expect(version()).toBe(before + 1);
  });

  it('with AWMap, an edit concurrent with a delete keeps the entity on both stores; with LWWMap the later one wins', () => {
    w = world();
    for (const Type of [AWMap, LWWMap]) {
      let clock = 0;
      const now = () => ++clock;
      const a = new Type({ replica: 'a', now });
      const b = new Type({ replica: 'b', now });
      const alice = todoStore(a);
      const bob = todoStore(b);
      alice.store.dispatch(added('t1', 'milk'));
      b.apply(a.encode());
      bob.store.dispatch(edited('t1', 'oat milk'));
      alice.store.dispatch(deleted('t1')); // later by the clock, concurrent by causality
      a.apply(b.encode());
      b.apply(a.encode());
      const expected = Type === AWMap ? { t1: { text: 'oat milk', done: false } } : {};
      expect(alice.store.getState().todos).toEqual(expected);
      expect(bob.store.getState().todos).toEqual(expected);
    }
  });
});

describe('bindSlices: no echo of concurrent values', () => {
  it('an AWMap entity holding two concurrent values is shown, not written back', () => {
    w = world();
    const a = new AWMap({ replica: 'a' });
    const b = new AWMap({ replica: 'b' });
    const alice = todoStore(a);
    const bob = todoStore(b);
    alice.store.dispatch(added('t1', 'milk'));
    bob.store.dispatch(added('t1', 'eggs'));
    const own = (doc: AWMap, replica: string) => doc.version()[replica];
    const [va, vb] = [own(a, 'a'), own(b, 'b')];
    a.apply(b.encode());
    b.apply(a.encode());
    expect(alice.store.getState().todos).toEqual(bob.store.getState().todos);
    expect([own(a, 'a'), own(b, 'b')]).toEqual([va, vb]);
    expect(alice.dispatched.map((x) => x.type)).toEqual(['todo/added', REMOTE_CHANGE]);
  });
});

describe('bindSlices: the document at creation', () => {
  it('a document with entries wins over the preloaded slice; an empty one takes it', () => {
    w = world();
    const doc = new LWWMap({ replica: 'a' });
    doc.set('t1', { text: 'from the document', done: true });
    const { store, dispatched } = todoStore(doc, { preloaded: { todos: { t1: { text: 'preloaded', done: false }, t9: { text: 'stale', done: false } }, seen: 0 } });
    expect(store.getState().todos).toEqual({ t1: { text: 'from the document', done: true } });
    expect(dispatched).toEqual([{ type: REMOTE_CHANGE, payload: { slice: 'todos', set: { t1: { text: 'from the document', done: true } }, deleted: ['t9'] } }]);
    expect(doc.keys()).toEqual(['t1']);

    const empty = new LWWMap({ replica: 'b' });
    const seeded = todoStore(empty, { preloaded: { todos: { t5: { text: 'seed', done: false } }, seen: 0 } });
    expect(empty.entries()).toEqual([['t5', { text: 'seed', done: false }]]);
    expect(seeded.dispatched).toEqual([]);
  });

  it('with two bound slices, each document with entries wins, and the empty one takes its slice', () => {
    w = world();
    const docs = ['a', 'b', 'c'].map((replica) => new LWWMap({ replica }));
    docs[0]!.set('x', 'document a');
    docs[1]!.set('y', 'document b');
    const keep = (state: Record<string, string> = {}) => state;
    const store = legacy_createStore(
      combineReducers({ a: keep, b: keep, c: keep }),
      { a: { stale: 'a' }, b: { stale: 'b' }, c: { seed: 'c' } },
      bindSlices({ a: docs[0]!, b: docs[1]!, c: docs[2]! }),
    );
    expect(store.getState()).toEqual({ a: { x: 'document a' }, b: { y: 'document b' }, c: { seed: 'c' } });
    expect(docs.map((d) => d.entries())).toEqual([[['x', 'document a']], [['y', 'document b']], [['seed', 'c']]]);
  });

  it('after a reload, the stored document fills a fresh store, offline', async () => {
    w = world();
    const first = w.client();
    const doc = await first.client.open('todos', LWWMap);
    const before = todoStore(doc);
    before.store.dispatch(added('t1', 'milk'));
    await first.client.close();
    const { client, transport } = w.client({ storage: first.storage });
    transport.reachable = false;
    const reloaded = todoStore(await client.open('todos', LWWMap));
    expect(reloaded.store.getState().todos).toEqual({ t1: { text: 'milk', done: false } });
    reloaded.store.dispatch(toggled('t1'));
    transport.reachable = true;
    await client.synced();
    const other = w.client().client;
    const seenElsewhere = await other.open('todos', LWWMap);
    expect(seenElsewhere.get('t1')).toEqual({ text: 'milk', done: true });
  });

  it('a document equal to the preloaded slice dispatches nothing', () => {
    w = world();
    const doc = new LWWMap({ replica: 'a' });
    doc.set('t1', { text: 'x', done: false });
    const { store, dispatched } = todoStore(doc, { preloaded: { todos: { t1: { done: false, text: 'x' } }, seen: 0 } });
    expect(dispatched).toEqual([]);
    expect(store.getState().todos).toEqual({ t1: { text: 'x', done: false } });
  });
});

describe('isRemoteChange', () => {
  it('tells the binding’s remote-change actions from everything else', () => {
    w = world();
    const doc = new LWWMap({ replica: 'a' });
    const seen: unknown[] = [];
    const spy: Middleware = () => (next) => (action) => {
      seen.push(action);
      return next(action);
    };
    const enhancer: StoreEnhancer<{ readonly tandem: BoundSlices }> = compose(bindSlices({ todos: doc }), applyMiddleware(spy));
    const store = legacy_createStore(reducer, enhancer);
    store.dispatch(added('t1', 'local'));
    doc.set('t2', { text: 'remote', done: false });
    expect(seen.filter(isRemoteChange)).toEqual([{ type: REMOTE_CHANGE, payload: { slice: 'todos', set: { t2: { text: 'remote', done: false } }, deleted: [] } }]);
    for (const other of [
      added('t3', 'x'),
      { type: REMOTE_CHANGE },
      { type: REMOTE_CHANGE, payload: { slice: 'todos', set: {}, deleted: [1] } },
      { type: REMOTE_CHANGE, payload: { slice: 7, set: {}, deleted: [] } },
      { type: 'other', payload: { slice: 'todos', set: {}, deleted: [] } },
      null,
      'tandem/remote-change',
    ]) {
      expect(isRemoteChange(other)).toBe(false);
    }
  });
});

describe('bindSlices: teardown and direct writes', () => {
  it('a write to the document by other code is dispatched; unbind stops both directions', () => {
    w = world();
    const doc = new LWWMap({ replica: 'a' });
    const { store } = todoStore(doc);
    doc.set('t1', { text: 'direct', done: false });
    expect(store.getState().todos).toEqual({ t1: { text: 'direct', done: false } });
    expect(store.tandem.bound).toBe(true);
    store.tandem.unbind();
    store.tandem.unbind();
    expect(store.tandem.bound).toBe(false);
    doc.set('t2', { text: 'unseen', done: false });
    store.dispatch(added('t3', 'unwritten'));
    expect(Object.keys(store.getState().todos).sort()).toEqual(['t1', 't3']);
    expect(doc.keys()).toEqual(['t1', 't2']);
  });

  it('a dispatch nested in a listener that runs before the binding’s writes both changes', () => {
    w = world();
    const doc = new LWWMap({ replica: 'a' });
    // An inner enhancer subscribes first and answers each new todo with a follow-up.
    const followUp: StoreEnhancer = (next) => (r, preloaded) => {
      const store = next(r, preloaded);
      store.subscribe(() => {
        const state = store.getState() as unknown as { todos: Todos };
        if (state.todos.a !== undefined && state.todos.b === undefined) store.dispatch(added('b', 'follow-up') as Parameters<typeof store.dispatch>[0]);
      });
      return store;
    };
    const enhancer: StoreEnhancer<{ readonly tandem: BoundSlices }> = compose(bindSlices({ todos: doc }), followUp);
    const store = legacy_createStore(reducer, enhancer);
    store.dispatch(added('a', 'first'));
    expect(Object.keys(store.getState().todos).sort()).toEqual(['a', 'b']);
    expect(doc.keys()).toEqual(['a', 'b']);
  });

  it('composed inside applyMiddleware (Redux’s usual order) it syncs the same; the middleware only miss remote changes', () => {
    w = world();
    const doc = new LWWMap({ replica: 'a' });
    const seenByMiddleware: string[] = [];
    const log: Middleware = () => (next) => (action) => {
      seenByMiddleware.push((action as UnknownAction).type);
      return next(action);
    };
    const enhancer: StoreEnhancer<{ readonly tandem: BoundSlices }> = compose(applyMiddleware(log), bindSlices({ todos: doc }));
    const store = legacy_createStore(reducer, enhancer);
    store.dispatch(added('t1', 'milk'));
    doc.set('t2', { text: 'eggs', done: false });
    expect(doc.keys()).toEqual(['t1', 't2']);
    expect(Object.keys(store.getState().todos).sort()).toEqual(['t1', 't2']);
    expect(store.getState().seen).toBe(1);
    expect(seenByMiddleware).toEqual(['todo/added']);
    store.tandem.unbind();
    expect(store.tandem.bound).toBe(false);
  });

  it('replaceReducer keeps the binding', () => {
    w = world();
    const doc = new LWWMap({ replica: 'a' });
    const { store } = todoStore(doc);
    store.replaceReducer((state = { todos: {}, seen: 0 }, action) => (action.type === 'all-done' ? { ...state, todos: Object.fromEntries(Object.entries(state.todos).map(([id, t]) => [id, { ...t, done: true }])) } : state));
    doc.set('t1', { text: 'x', done: false });
    store.dispatch({ type: 'all-done' });
    expect(doc.get('t1')).toEqual({ text: 'x', done: true });
  });
});

describe('bindSlices: other slice shapes', () => {
  it('entityStateSlice keeps ids and entities, appends new ids, and keeps local fields', () => {
    w = world();
    const a = new LWWMap({ replica: 'a' });
    const b = new LWWMap({ replica: 'b' });
    const alice = entityStore(a, 'alice');
    const bob = entityStore(b, 'bob');
    alice.dispatch({ type: 'add', id: 'x', text: 'one' });
    alice.dispatch({ type: 'add', id: 'y', text: 'two' });
    b.apply(a.encode());
    expect(bob.getState().list).toEqual({ ids: ['x', 'y'], entities: { x: { text: 'one' }, y: { text: 'two' } }, status: 'bob' });
    bob.dispatch({ type: 'remove', id: 'x' });
    a.apply(b.encode());
    expect(alice.getState().list).toEqual({ ids: ['y'], entities: { y: { text: 'two' } }, status: 'alice' });
  });

  it('arraySlice keeps entities in an array by their id field', () => {
    w = world();
    const a = new LWWMap({ replica: 'a' });
    const b = new LWWMap({ replica: 'b' });
    const alice = arrayStore(a);
    const bob = arrayStore(b);
    alice.dispatch({ type: 'add', item: { key: 'k1', n: 1 } });
    bob.dispatch({ type: 'add', item: { key: 'k0', n: 0 } });
    b.apply(a.encode());
    a.apply(b.encode());
    expect(alice.getState().items).toEqual([{ key: 'k1', n: 1 }, { key: 'k0', n: 0 }]);
    expect(bob.getState().items).toEqual([{ key: 'k0', n: 0 }, { key: 'k1', n: 1 }]);
    alice.dispatch({ type: 'bump', key: 'k0' });
    bob.dispatch({ type: 'remove', key: 'k1' });
    b.apply(a.encode());
    a.apply(b.encode());
    expect(alice.getState().items).toEqual([{ key: 'k0', n: 1 }]);
    expect(bob.getState().items).toEqual([{ key: 'k0', n: 1 }]);
  });
});

interface Item {
  readonly text: string;
}
interface ListState {
  readonly ids: readonly string[];
  readonly entities: Readonly<Record<string, Item>>;
  readonly status: string;
}

function entityStore(doc: LWWMap, status: string) {
  const list = (state: ListState = { ids: [], entities: {}, status }, action: UnknownAction): ListState => {
    const id = action.id as string;
    if (action.type === 'add') return { ...state, ids: [...state.ids, id], entities: { ...state.entities, [id]: { text: action.text as string } } };
    if (action.type === 'remove') {
      const { [id]: _, ...entities } = state.entities;
      return { ...state, ids: state.ids.filter((x) => x !== id), entities };
    }
    return state;
  };
  return legacy_createStore(combineReducers({ list }), bindSlices({ list: { document: doc, adapter: entityStateSlice() } }));
}

interface Counted {
  readonly key: string;
  readonly n: number;
}

function arrayStore(doc: LWWMap) {
  const items = (state: readonly Counted[] = [], action: UnknownAction): readonly Counted[] => {
    if (action.type === 'add') return [...state, action.item as Counted];
    if (action.type === 'bump') return state.map((i) => (i.key === action.key ? { ...i, n: i.n + 1 } : i));
    if (action.type === 'remove') return state.filter((i) => i.key !== action.key);
    return state;
  };
  return legacy_createStore(combineReducers({ items }), bindSlices({ items: { document: doc, adapter: arraySlice('key') } }));
}
