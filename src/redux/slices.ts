/**
 * `bindSlices`: a store enhancer that keeps chosen slices of a Redux store in Tandem maps
 * (`LWWMap` or `AWMap`), one map entry per entity, so that concurrent edits of different
 * entities on different stores all survive.
 *
 * Both directions go through Redux as it is:
 *
 * - local: the app dispatches its own actions to its own reducers; after each dispatch the
 *   binding compares the slice with the one the document last matched, entity by entity by
 *   reference, and writes only the entities that changed or disappeared;
 * - remote: a change of the document that the binding did not write (a merge from another
 *   replica, or code writing to the map) is dispatched as the ordinary action
 *   {@link RemoteChangeAction}, which the enhancer's reducer wrapper applies to the slice
 *   before the app's reducers see it.
 *
 * The store stays a plain Redux store: its reducers, middleware, subscribers and devtools
 * see every change as an action.
 */
import type { Action, Reducer, StoreEnhancer } from 'redux';
import {
  DEFAULT_LIMITS,
  checkStringSize,
  defineOwn,
  ingestValue,
  isWellFormed,
  valuesEqual,
  type JsonValue,
} from '../codec/index.js';
import type { MapChange } from '../crdt/map/index.js';
import { isPlainObject, recordSlice, type Entities, type EntityChanges, type SliceAdapter } from './adapter.js';
import { diffEntities, type EntityDiff } from './diff.js';
import { ReduxBindingError, report } from './errors.js';

/** The type of {@link RemoteChangeAction}. */
export const REMOTE_CHANGE = 'tandem/remote-change';

/**
 * Dispatched by the binding when a bound document changed by other means than the
 * store (a merge from another replica, or code writing to the map directly), and once
 * at creation when the document's entries differ from the preloaded slice. The
 * enhancer's reducer wrapper applies it to `state[payload.slice]` first, so the app's
 * reducers then see the new entities, and may react to the action like to any other.
 *
 * @example
 * { type: 'tandem/remote-change', payload: { slice: 'todos', set: { t2: { text: 'eggs', done: false } }, deleted: ['t1'] } }
 */
export interface RemoteChangeAction extends Action<typeof REMOTE_CHANGE> {
  readonly payload: EntityChanges & {
    /** The key of the bound slice in the root state. */
    readonly slice: string;
  };
}

/**
 * Whether `action` is a {@link RemoteChangeAction} as the binding makes it: its type, and
 * a payload with a slice name, the entities set and the ids deleted. A type guard for
 * reducers and middleware, and for Redux Toolkit's `builder.addMatcher(isRemoteChange, …)`.
 *
 * @example
 * if (isRemoteChange(action) && action.payload.slice === 'todos') console.log(action.payload.deleted);
 */
export function isRemoteChange(action: unknown): action is RemoteChangeAction {
  return isPlainObject(action) && action.type === REMOTE_CHANGE && readRemoteChange(action as Action) !== undefined;
}

/**
 * The map methods the binding uses: `LWWMap` and `AWMap` (from `tandem`) have them, as
 * does a map opened with `SyncClient.open`. With `LWWMap`, of concurrent edits of one
 * entity the latest wins, and a delete concurrent with an edit wins when it is later;
 * with `AWMap` an edit concurrent with a delete keeps the entity.
 */
export interface EntityDocument {
  /** Number of entities. */
  readonly size: number;
  /** The entity stored under an id (frozen), or undefined. */
  get(key: string): JsonValue | undefined;
  /** Stores an entity; a no-op when it holds an equal value. */
  set(key: string, value: JsonValue): unknown;
  /** Deletes an entity; returns whether there was one. */
  delete(key: string): boolean;
  /** `[id, entity]` pairs. */
  entries(): [string, JsonValue][];
  /** Listens for changes; `keys` names the entities that changed, `origin` who made them. */
  on(event: 'change', listener: (event: MapChange) => void): () => void;
}

/** A bound slice: its document, and its shape when it is not a record of entities by id. */
export interface SliceBinding {
  readonly document: EntityDocument;
  /** How the slice holds its entities; {@link recordSlice} by default. */
  readonly adapter?: SliceAdapter;
}

/** The slices to bind, by their key in the root state: a document, or a {@link SliceBinding}. */
export type SliceBindings = Readonly<Record<string, EntityDocument | SliceBinding>>;

/** Options of {@link bindSlices}. */
export interface BindSlicesOptions {
  /**
   * Receives the faults the binding survives (`dispatch-failed`, `write-failed`); the
   * console's `error` when absent.
   */
  readonly onError?: (error: ReduxBindingError) => void;
}

/** What {@link bindSlices} adds to the store, as `store.tandem`. */
export interface BoundSlices {
  /**
   * Stops syncing: removes the listeners on the documents and the store. The reducer
   * wrapper then passes every action through untouched. Idempotent.
   */
  unbind(): void;
  /** False once {@link unbind} was called. */
  readonly bound: boolean;
}

/** One bound slice and what the binding knows of it. */
interface Bound {
  readonly key: string;
  /** `state.<key>`, for error messages. */
  readonly path: string;
  readonly document: EntityDocument;
  readonly adapter: SliceAdapter;
  /** The slice the document last matched, and its entities. */
  baseline: unknown;
  entities: Entities;
}

const NO_ENTITIES: Entities = Object.freeze({});

/**
 * What the reducer wrapper learnt while checking a dispatch, for the writes that follow:
 * canonical copies of the entities it checked, and each new reading's diff.
 */
interface Memo {
  readonly canonical: WeakMap<object, JsonValue>;
  readonly diffs: WeakMap<Entities, EntityDiff>;
}

/**
 * A store enhancer binding each named slice to a Tandem map, one entry per entity (the key
 * is the entity's id, the value the entity, a JSON value).
 *
 * At creation, a document that already has entries (loaded from storage or the server)
 * wins: the slice is made to hold exactly its entries, through a {@link RemoteChangeAction}.
 * An empty document takes the slice's entities instead. Then every dispatch that gives
 * a bound slice new entities writes them into the document (the sync client sends the
 * writes of one dispatch as one update), and every change of the document that the store
 * did not make is dispatched as a {@link RemoteChangeAction}; writing it back is skipped,
 * so nothing echoes.
 *
 * A reducer that makes a bound slice break a rule (an entity that is not JSON, an id that
 * is not a string, a slice that is not its adapter's shape) makes `dispatch` throw a
 * {@link ReduxBindingError} before the store takes the new state: the store and the
 * documents stay as they were. Entity values are checked against the default decoding
 * limits (`DEFAULT_LIMITS`).
 *
 * Compose it before `applyMiddleware` (`compose(bindSlices(…), applyMiddleware(…))`) so
 * the remote changes it dispatches pass through the middleware; in any position the
 * reducers, subscribers and devtools see them.
 *
 * @param slices the slices to bind, by key of the root state (which must be a plain
 *   object, as `combineReducers` makes).
 * @throws {ReduxBindingError} `bad-options` when a slice has no document with the map
 *   methods, or two slices share a document; when applied, whatever the first reducer
 *   call or the initial sync raises.
 * @example
 * const todos = await client.open('todos', LWWMap);
 * const store = createStore(combineReducers({ todos: todosReducer, filter }), bindSlices({ todos }));
 * store.tandem.unbind();
 */
export function bindSlices(slices: SliceBindings, options: BindSlicesOptions = {}): StoreEnhancer<{ readonly tandem: BoundSlices }> {
  const config = resolveSlices(slices);
  if (typeof options !== 'object' || options === null || (options.onError !== undefined && typeof options.onError !== 'function')) {
    throw new ReduxBindingError('bad-options', 'bindSlices options are { onError?: (error) => void }');
  }
  const onError = options.onError;
  return (next) => (reducer, preloadedState) => {
    const bound: Bound[] = config.map((c) => ({ ...c, baseline: undefined, entities: NO_ENTITIES }));
    let active = true;
    // While the binding writes, document events are its own writes, or writes other code
    // made from a document listener: their keys are kept and compared afterwards.
    let writing = false;
    let rewrite = false;
    const touched = new Map<Bound, Set<string>>();
    const memo: Memo = { canonical: new WeakMap(), diffs: new WeakMap() };
    // Root states whose bound slices were checked; a state not among them (the preloaded
    // one) has every entity checked.
    const checked = new WeakSet<object>();

    const wrap = <S, A extends Action, P>(inner: Reducer<S, A, P>): Reducer<S, A, P> => {
      return (state, action) => {
        if (!active) return inner(state, action);
        const change = action.type === REMOTE_CHANGE ? readRemoteChange(action) : undefined;
        const target = change === undefined ? undefined : bound.find((b) => b.key === change.slice);
        let input = state;
        if (change !== undefined && target !== undefined && state !== undefined) {
          input = patchRoot(state, target, change) as S | P;
        }
        let output = inner(input, action);
        if (change !== undefined && target !== undefined && state === undefined) output = patchRoot(output, target, change) as S;
        check(bound, typeof state === 'object' && state !== null && checked.has(state) ? state : undefined, output, memo);
        if (typeof output === 'object' && output !== null) checked.add(output);
        return output;
      };
    };

    const store = next(wrap(reducer), preloadedState);
    // Remote changes are dispatched as an action of the store whatever its declared action
    // union, as Redux's own init action is.
    const dispatch = (action: RemoteChangeAction): void => {
      store.dispatch(action as unknown as Parameters<typeof store.dispatch>[0]);
    };
    const dispatchChange = (b: Bound, set: Record<string, JsonValue>, deleted: string[]): void => {
      if (deleted.length === 0 && Object.keys(set).length === 0) return;
      try {
        dispatch({ type: REMOTE_CHANGE, payload: { slice: b.key, set, deleted } });
      } catch (error) {
        report(
          onError,
          new ReduxBindingError('dispatch-failed', `a change of the document bound to ${b.path} could not be dispatched: ${messageOf(error)}`, { cause: error }),
        );
      }
    };

    // A dispatch nested in the writes (from a document listener, or `onError`) does not
    // write from inside them: the writes of the state it made follow once these end, so a
    // newer entity is never overwritten by the older one still being written.
    const writeChanges = (): void => {
      if (!active) return;
      if (writing) {
        rewrite = true;
        return;
      }
      writing = true;
      try {
        do {
          rewrite = false;
          for (const b of bound) flush(b, store.getState(), memo, onError);
        } while (rewrite && active);
      } finally {
        writing = false;
      }
      // What a document listener wrote while the binding wrote is dispatched like any change
      // the store did not make; the binding's own writes match the store and are skipped.
      for (const [b, keys] of [...touched]) {
        touched.delete(b);
        const set: Record<string, JsonValue> = {};
        const deleted: string[] = [];
        for (const id of keys) {
          const value = b.document.get(id);
          const has = Object.hasOwn(b.entities, id);
          if (value === undefined) {
            if (has) deleted.push(id);
          } else if (!has || !sameEntity(b.entities[id], value, memo)) defineOwn(set, id, value);
        }
        if (active) dispatchChange(b, set, deleted);
      }
    };
    const unsubscribeStore = store.subscribe(writeChanges);

    // The initial rule: a document with entries wins; an empty one takes the slice. Every
    // baseline is set before the first dispatch, whose writes would otherwise find a
    // document with entries still unmatched and write the preloaded slice into it.
    const root = store.getState();
    for (const b of bound) {
      const slice = sliceOf(root, b);
      b.baseline = slice;
      b.entities = b.adapter.entities(slice, b.path);
      if (b.document.size === 0) {
        b.baseline = undefined;
        b.entities = NO_ENTITIES;
      }
    }
    for (const b of bound) {
      if (b.document.size === 0) continue;
      const set: Record<string, JsonValue> = {};
      let differs = false;
      for (const [id, value] of b.document.entries()) {
        if (Object.hasOwn(b.entities, id) && sameEntity(b.entities[id], value, memo)) continue;
        defineOwn(set, id, value);
        differs = true;
      }
      const deleted: string[] = [];
      for (const id of Object.keys(b.entities)) if (b.document.get(id) === undefined) deleted.push(id);
      if (differs || deleted.length > 0) dispatch({ type: REMOTE_CHANGE, payload: { slice: b.key, set, deleted } });
    }
    writeChanges();

    const unsubscribeDocuments = bound.map((b) =>
      b.document.on('change', (event) => {
        if (!active) return;
        if (writing) {
          const keys = touched.get(b) ?? new Set<string>();
          for (const id of event.keys) keys.add(id);
          touched.set(b, keys);
          return;
        }
        const set: Record<string, JsonValue> = {};
        const deleted: string[] = [];
        for (const id of event.keys) {
          const value = b.document.get(id);
          if (value === undefined) deleted.push(id);
          else defineOwn(set, id, value);
        }
        dispatchChange(b, set, deleted);
      }),
    );

    const tandem: BoundSlices = {
      unbind() {
        if (!active) return;
        active = false;
        unsubscribeStore();
        for (const unsubscribe of unsubscribeDocuments) unsubscribe();
      },
      get bound() {
        return active;
      },
    };
    return { ...store, replaceReducer: (nextReducer) => store.replaceReducer(wrap(nextReducer)), tandem };
  };
}

/** Validates the slices given to {@link bindSlices}. */
function resolveSlices(slices: SliceBindings): Omit<Bound, 'baseline' | 'entities'>[] {
  if (!isPlainObject(slices) || Object.keys(slices).length === 0) {
    throw new ReduxBindingError('bad-options', 'bindSlices takes an object of slices by state key, such as { todos: todosMap }');
  }
  const documents = new Set<EntityDocument>();
  return Object.keys(slices).map((key) => {
    const given: unknown = slices[key];
    const binding = isPlainObject(given) && 'document' in given ? given : { document: given };
    const document = binding.document;
    const path = `state.${key}`;
    if (!isEntityDocument(document)) {
      throw new ReduxBindingError('bad-options', `${path} needs a map document (an LWWMap or AWMap, with get, set, delete, entries, size and on)`);
    }
    if (documents.size === documents.add(document).size) throw new ReduxBindingError('bad-options', `${path} is bound to a document another slice is bound to`);
    const adapter: unknown = 'adapter' in binding && binding.adapter !== undefined ? binding.adapter : recordSlice;
    if (!isAdapter(adapter)) throw new ReduxBindingError('bad-options', `${path}'s adapter must have entities(slice, path) and patch(slice, changes, path)`);
    return { key, path, document, adapter };
  });
}

function isEntityDocument(value: unknown): value is EntityDocument {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.size === 'number' && ['get', 'set', 'delete', 'entries', 'on'].every((m) => typeof d[m] === 'function');
}

function isAdapter(value: unknown): value is SliceAdapter {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return typeof a.entities === 'function' && typeof a.patch === 'function';
}

/** The payload of a remote-change action, or undefined when it is not one this binding made. */
function readRemoteChange(action: Action): RemoteChangeAction['payload'] | undefined {
  const payload: unknown = 'payload' in action ? action.payload : undefined;
  if (!isPlainObject(payload) || typeof payload.slice !== 'string' || !isPlainObject(payload.set) || !Array.isArray(payload.deleted)) return undefined;
  if (!payload.deleted.every((id) => typeof id === 'string')) return undefined;
  return { slice: payload.slice, set: payload.set as Record<string, JsonValue>, deleted: payload.deleted as string[] };
}

/** The bound slice of a root state. */
function sliceOf(root: unknown, b: Omit<Bound, 'baseline' | 'entities'>): unknown {
  if (!isPlainObject(root)) {
    throw new ReduxBindingError('bad-slice', `the root state is not a plain object, so ${b.path} cannot be bound (combineReducers makes one)`);
  }
  if (!Object.hasOwn(root, b.key)) throw new ReduxBindingError('bad-slice', `${b.path} is missing from the root state`);
  return root[b.key];
}

/** The root state with a remote change applied to one bound slice. */
function patchRoot(root: unknown, b: Bound, change: EntityChanges): Record<string, unknown> {
  const slice = sliceOf(root, b);
  const out: Record<string, unknown> = { ...(root as Record<string, unknown>) };
  defineOwn(out, b.key, b.adapter.patch(slice, change, b.path));
  return out;
}

/**
 * Checks the entities a reducer changed in each bound slice, by reference against the
 * previous state's (every entity when `before` is undefined): ids well-formed strings,
 * values JSON within the default limits.
 * @throws {ReduxBindingError} before the store takes the state.
 */
function check(bound: readonly Bound[], before: unknown, after: unknown, memo: Memo): void {
  for (const b of bound) {
    const slice = sliceOf(after, b);
    const previous = isPlainObject(before) && Object.hasOwn(before, b.key) ? before[b.key] : undefined;
    if (previous !== undefined && previous === slice) continue;
    const was = previous === undefined ? NO_ENTITIES : b.adapter.entities(previous, b.path);
    const now = b.adapter.entities(slice, b.path);
    if (was === now) continue;
    const diff = diffEntities(was, now);
    for (const id of diff.changed) {
      const entity = now[id];
      checkId(id, b.path);
      const path = `${b.path}[${JSON.stringify(id)}]`;
      if (entity === undefined) throw new ReduxBindingError('not-json', `${path} is undefined, which is not JSON (delete the id instead)`);
      let value: JsonValue;
      try {
        value = ingestValue(entity, path, DEFAULT_LIMITS);
      } catch (error) {
        throw new ReduxBindingError('not-json', messageOf(error), { cause: error });
      }
      if (typeof entity === 'object' && entity !== null) memo.canonical.set(entity, value);
    }
    memo.diffs.set(now, diff);
  }
}

/** @throws {ReduxBindingError} `bad-id` when a record key has no UTF-8 form or is too long. */
function checkId(id: string, path: string): void {
  if (!isWellFormed(id)) throw new ReduxBindingError('bad-id', `${path} has an id with a lone surrogate, which has no UTF-8 form`);
  try {
    checkStringSize(id, `${path} id ${JSON.stringify(id.slice(0, 32))}…`, DEFAULT_LIMITS.maxStringBytes);
  } catch (error) {
    throw new ReduxBindingError('bad-id', messageOf(error), { cause: error });
  }
}

/** Whether a store entity equals a document value. */
function sameEntity(entity: unknown, value: JsonValue, memo: Memo): boolean {
  if (entity === value) return true;
  if (typeof entity !== 'object' || entity === null) return false;
  const copy = memo.canonical.get(entity) ?? ingestValue(entity, 'entity', DEFAULT_LIMITS);
  return valuesEqual(copy, value);
}

/** Writes what changed in a bound slice since the document last matched it. */
function flush(b: Bound, root: unknown, memo: Memo, onError: BindSlicesOptions['onError']): void {
  const slice = sliceOf(root, b);
  if (slice === b.baseline) return;
  const now = b.adapter.entities(slice, b.path);
  const was = b.entities;
  b.baseline = slice;
  b.entities = now;
  if (now === was) return;
  // The reducer wrapper compared the same two readings when the slice changed by one dispatch.
  const known = memo.diffs.get(now);
  const diff = known !== undefined && known.was === was ? known : diffEntities(was, now);
  const fail = (id: string, error: unknown): void =>
    report(onError, new ReduxBindingError('write-failed', `${b.path}[${JSON.stringify(id)}] could not be written to its document: ${messageOf(error)}`, { cause: error }));
  for (const id of diff.changed) {
    const entity = now[id];
    try {
      const current = b.document.get(id);
      if (current !== undefined && sameEntity(entity, current, memo)) continue;
      b.document.set(id, (typeof entity === 'object' && entity !== null ? memo.canonical.get(entity) : undefined) ?? ingestValue(entity, 'entity', DEFAULT_LIMITS));
    } catch (error) {
      fail(id, error);
    }
  }
  for (const id of diff.removed) {
    try {
      b.document.delete(id);
    } catch (error) {
      fail(id, error);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
