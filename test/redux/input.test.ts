import { describe, expect, it } from 'vitest';
import { combineReducers, legacy_createStore, type UnknownAction } from 'redux';
import { LWWMap } from '../../src/crdt/index.js';
import { ReduxBindingError, arraySlice, bindSlices, entityStateSlice, recordSlice, type SliceAdapter } from '../../src/redux/index.js';
import { codeOf, todoStore } from './harness.js';

/** A store whose `todos` slice is whatever the last `put` action carried. */
function puttable(doc: LWWMap, adapter: SliceAdapter = recordSlice, initial: unknown = {}) {
  const errors: ReduxBindingError[] = [];
  const todos = (state: unknown = initial, action: UnknownAction): unknown => (action.type === 'put' ? action.value : state);
  const store = legacy_createStore(combineReducers({ todos }), bindSlices({ todos: { document: doc, adapter } }, { onError: (e) => errors.push(e) }));
  return { store, errors };
}

describe('bindSlices: bad input leaves the store and the document as they were', () => {
  /** Each shape's adapter, its empty slice, and a slice holding one good entity `ok`. */
  const shapes = {
    record: { adapter: recordSlice, empty: {}, good: { ok: { n: 1 } }, stored: { n: 1 } },
    array: { adapter: arraySlice(), empty: [], good: [{ id: 'ok', n: 1 }], stored: { id: 'ok', n: 1 } },
    entity: { adapter: entityStateSlice(), empty: { ids: [], entities: {} }, good: { ids: ['ok'], entities: { ok: { n: 1 } } }, stored: { n: 1 } },
  };
  const cases: [string, keyof typeof shapes, unknown, string][] = [
    ['a Date entity', 'record', { t1: { due: new Date(0) } }, 'not-json'],
    ['an undefined entity', 'record', { t1: undefined }, 'not-json'],
    ['an undefined field', 'record', { t1: { text: 'x', note: undefined } }, 'not-json'],
    ['a function entity', 'record', { t1: () => 1 }, 'not-json'],
    ['NaN', 'record', { t1: { n: Number.NaN } }, 'not-json'],
    ['a cycle', 'record', cyclic(), 'not-json'],
    ['an id with a lone surrogate', 'record', { ['\ud800']: 1 }, 'bad-id'],
    ['an array slice where a record is read', 'record', [{ id: 'x' }], 'bad-slice'],
    ['a null slice', 'record', null, 'bad-slice'],
    ['a Map slice', 'record', new Map(), 'bad-slice'],
    ['a numeric id in an array slice', 'array', [{ id: 1 }], 'bad-id'],
    ['a duplicate id in an array slice', 'array', [{ id: 'a' }, { id: 'a' }], 'bad-id'],
    ['a string in an array slice', 'array', ['a'], 'bad-slice'],
    ['a record where an array is read', 'array', { a: { id: 'a' } }, 'bad-slice'],
    ['a numeric id in entity state', 'entity', { ids: [1], entities: { 1: {} } }, 'bad-id'],
    ['ids that miss an entity', 'entity', { ids: [], entities: { a: {} } }, 'bad-slice'],
    ['an id without an entity', 'entity', { ids: ['a', 'b'], entities: { a: {}, c: {} } }, 'bad-slice'],
    ['a repeated id in entity state', 'entity', { ids: ['a', 'a'], entities: { a: {} } }, 'bad-id'],
    ['entity state without ids', 'entity', { entities: {} }, 'bad-slice'],
  ];
  it.each(cases)('%s', (_, shape, value, code) => {
    const doc = new LWWMap({ replica: 'a' });
    const { adapter, empty, good, stored } = shapes[shape];
    const { store } = puttable(doc, adapter, empty);
    store.dispatch({ type: 'put', value: good });
    const state = store.getState();
    const version = doc.version();
    expect(codeOf(() => store.dispatch({ type: 'put', value }))).toBe(code);
    expect(store.getState()).toBe(state);
    expect(doc.version()).toEqual(version);
    expect(doc.entries()).toEqual([['ok', stored]]);
    // The store keeps working.
    store.dispatch({ type: 'put', value: empty });
    expect(doc.size).toBe(0);
  });

  it('a bad preloaded slice, or a root state that is not an object, fails createStore', () => {
    const doc = new LWWMap({ replica: 'a' });
    expect(codeOf(() => todoStore(doc, { preloaded: { todos: { t1: { text: 'x', done: new Date(0) as unknown as boolean } }, seen: 0 } }))).toBe('not-json');
    expect(codeOf(() => legacy_createStore((s: number = 0) => s, bindSlices({ todos: doc })))).toBe('bad-slice');
    expect(codeOf(() => legacy_createStore(combineReducers({ other: (s: number = 0) => s }), bindSlices({ todos: doc })))).toBe('bad-slice');
    expect(doc.size).toBe(0);
  });

  it('bad options are refused when the enhancer is made', () => {
    const doc = new LWWMap({ replica: 'a' });
    const bad = (slices: unknown, options?: unknown) => () => bindSlices(slices as Parameters<typeof bindSlices>[0], options as Parameters<typeof bindSlices>[1]);
    expect(codeOf(bad(null))).toBe('bad-options');
    expect(codeOf(bad({}))).toBe('bad-options');
    expect(codeOf(bad({ todos: {} }))).toBe('bad-options');
    expect(codeOf(bad({ todos: { document: new Map() } }))).toBe('bad-options');
    expect(codeOf(bad({ todos: doc, done: { document: doc } }))).toBe('bad-options');
    expect(codeOf(bad({ todos: { document: doc, adapter: { entities: () => ({}) } } }))).toBe('bad-options');
    expect(codeOf(bad({ todos: doc }, { onError: 1 }))).toBe('bad-options');
    expect(codeOf(() => arraySlice(5 as unknown as string))).toBe('bad-options');
  });

  it('a document value that does not fit the slice is reported, not thrown; the store keeps its state', () => {
    const doc = new LWWMap({ replica: 'a' });
    const { store, errors } = puttable(doc, arraySlice(), []);
    store.dispatch({ type: 'put', value: [{ id: 'x', n: 1 }] });
    const state = store.getState();
    doc.set('y', 'not an object');
    doc.set('z', { id: 'not z' });
    expect(errors.map((e) => e.code)).toEqual(['dispatch-failed', 'dispatch-failed']);
    expect(errors[0]!.message).toContain('"y"');
    expect(store.getState()).toBe(state);
  });

  it('a write the document refuses (its limits are tighter) is reported as write-failed', () => {
    const doc = new LWWMap({ replica: 'a', limits: { maxStringBytes: 8 } });
    const { store, errors } = puttable(doc);
    store.dispatch({ type: 'put', value: { a: 'short', b: 'far too long for this document' } });
    expect(errors.map((e) => e.code)).toEqual(['write-failed']);
    expect(errors[0]!.message).toContain('state.todos["b"]');
    expect(doc.entries()).toEqual([['a', 'short']]);
  });

  it('a remote-change action with a malformed payload passes through untouched', () => {
    const doc = new LWWMap({ replica: 'a' });
    const { store } = puttable(doc);
    const before = store.getState();
    for (const payload of [undefined, { slice: 'todos', set: [], deleted: [] }, { slice: 'todos', set: {}, deleted: [1] }, { slice: 'other', set: { x: 1 }, deleted: [] }]) {
      store.dispatch({ type: 'tandem/remote-change', payload });
    }
    expect(store.getState()).toBe(before);
  });
});

function cyclic(): unknown {
  const a: Record<string, unknown> = {};
  a.self = a;
  return { t1: a };
}
