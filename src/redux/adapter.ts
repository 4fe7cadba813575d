/**
 * How a bound slice's state maps to a document's entries: one entry per entity, keyed by
 * the entity's id. Three shapes come built in:
 *
 * - {@link recordSlice} (the default): the slice is a record of entities by id,
 *   `{ t1: { text: 'milk' }, t2: … }`.
 * - {@link entityStateSlice}: `{ ids: ['t1', …], entities: { t1: … }, …others }`, the shape
 *   Redux Toolkit's `createEntityAdapter` keeps; other fields of the slice are local.
 * - {@link arraySlice}: an array of entity objects that carry their id in a field,
 *   `[{ id: 't1', text: 'milk' }, …]`.
 *
 * An adapter reads and rebuilds, it never mutates: a slice is Redux state.
 */
import { defineOwn, type JsonValue } from '../codec/index.js';
import { ReduxBindingError } from './errors.js';

/** A slice's entities by id, as an adapter reads them. */
export type Entities = Readonly<Record<string, unknown>>;

/**
 * A change of a document's entries: entities written (by id, the document's frozen
 * values) and ids deleted. An id is in at most one of the two.
 */
export interface EntityChanges {
  /** Entities added or replaced, by id. */
  readonly set: Readonly<Record<string, JsonValue>>;
  /** Ids removed. */
  readonly deleted: readonly string[];
}

/** Reads the entities of a slice of one shape, and rebuilds the slice after a change. */
export interface SliceAdapter {
  /**
   * The slice's entities by id. Called after every action that gives the slice a new
   * reference; entities are compared by reference with the previous call's, so an
   * unchanged entity must be the same object (immutable updates keep it so).
   * @param path names the slice in error messages, such as `state.todos`.
   * @throws {ReduxBindingError} `bad-slice` when the slice is not this adapter's shape;
   *   `bad-id` when an id is not a string or appears twice.
   */
  entities(slice: unknown, path: string): Entities;
  /**
   * A new slice holding `changes`: entities set (added or replaced) and deleted, every
   * other entity and field unchanged. Must not mutate `slice`.
   * @throws {ReduxBindingError} `bad-slice` when the slice is not this adapter's shape.
   */
  patch(slice: unknown, changes: EntityChanges, path: string): unknown;
}

/** Whether `value` is a plain object (an object literal or `Object.create(null)`). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isPlainObject(value)) return 'an object';
  if (typeof value === 'object') return `a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'class instance'}`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

function expectRecord(value: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ReduxBindingError('bad-slice', `${path} is ${describe(value)}; it must be a plain object of entities by id`);
  return value;
}

/** A copy of `entities` holding `changes`. */
function patchRecord(entities: Entities, changes: EntityChanges): Record<string, unknown> {
  const out: Record<string, unknown> = { ...entities };
  for (const id of Object.keys(changes.set)) defineOwn(out, id, changes.set[id]);
  for (const id of changes.deleted) delete out[id];
  return out;
}

/**
 * The default shape: the slice is a plain object of entities by id, each entity any JSON
 * value.
 */
export const recordSlice: SliceAdapter = {
  entities(slice, path) {
    return expectRecord(slice, path);
  },
  patch(slice, changes, path) {
    return patchRecord(expectRecord(slice, path), changes);
  },
};

/** The fields of an entity-state slice that the binding reads. */
interface EntityState {
  readonly ids: readonly unknown[];
  readonly entities: Record<string, unknown>;
}

/**
 * The `{ ids, entities }` shape of Redux Toolkit's `createEntityAdapter`: `entities` holds
 * the entities by id, `ids` their order. Ids must be strings (document keys are), and
 * `ids` must list exactly the keys of `entities`. Entities added by a change are appended
 * to `ids` in id order (a sorted entity adapter's order is not kept: sort in a selector);
 * fields other than `ids` and `entities` stay local to each store.
 */
export function entityStateSlice(): SliceAdapter {
  const checked = new WeakSet<object>();
  const read = (slice: unknown, path: string): EntityState => {
    if (!isPlainObject(slice) || !Array.isArray(slice.ids) || !isPlainObject(slice.entities)) {
      throw new ReduxBindingError('bad-slice', `${path} is ${describe(slice)} without an ids array and an entities object; entityStateSlice reads { ids, entities }`);
    }
    const state = { ids: slice.ids as readonly unknown[], entities: slice.entities };
    if (checked.has(slice)) return state;
    const seen = new Set<string>();
    for (const id of state.ids) {
      if (typeof id !== 'string') throw new ReduxBindingError('bad-id', `${path}.ids holds ${describe(id)} (${String(id)}); ids must be strings, as document keys are`);
      if (seen.size === seen.add(id).size) throw new ReduxBindingError('bad-id', `${path}.ids lists ${JSON.stringify(id)} twice`);
      if (!Object.hasOwn(state.entities, id)) throw new ReduxBindingError('bad-slice', `${path}.ids lists ${JSON.stringify(id)}, which ${path}.entities lacks`);
    }
    const count = Object.keys(state.entities).length;
    if (count !== state.ids.length) {
      throw new ReduxBindingError('bad-slice', `${path}.entities holds ${count} entities but ${path}.ids lists ${state.ids.length}`);
    }
    checked.add(slice);
    return state;
  };
  return {
    entities(slice, path) {
      return read(slice, path).entities;
    },
    patch(slice, changes, path) {
      const state = read(slice, path);
      const deleted = new Set(changes.deleted);
      const ids: unknown[] = deleted.size === 0 ? [...state.ids] : state.ids.filter((id) => typeof id !== 'string' || !deleted.has(id));
      for (const id of Object.keys(changes.set).sort()) if (!Object.hasOwn(state.entities, id)) ids.push(id);
      return { ...(slice as Record<string, unknown>), ids, entities: patchRecord(state.entities, changes) };
    },
  };
}

/**
 * An array of entity objects, each carrying its id (a string) in the field `idField`
 * (`'id'` by default). Each store keeps its own order: an entity added by a change is
 * appended, in id order, so two stores may list the same entities in different orders
 * (sort in a selector when the order matters).
 * @throws {ReduxBindingError} `bad-options` when `idField` is not a string.
 */
export function arraySlice(idField = 'id'): SliceAdapter {
  if (typeof idField !== 'string') throw new ReduxBindingError('bad-options', `arraySlice's idField must be a string, got ${describe(idField)}`);
  const read = new WeakMap<object, Entities>();
  const entities = (slice: unknown, path: string): Entities => {
    if (!Array.isArray(slice)) throw new ReduxBindingError('bad-slice', `${path} is ${describe(slice)}; arraySlice reads an array of entities`);
    const known = read.get(slice);
    if (known !== undefined) return known;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < slice.length; i++) {
      const entity: unknown = slice[i];
      if (!isPlainObject(entity)) throw new ReduxBindingError('bad-slice', `${path}[${i}] is ${describe(entity)}; arraySlice holds objects with an ${idField} field`);
      const id = entity[idField];
      if (typeof id !== 'string') throw new ReduxBindingError('bad-id', `${path}[${i}].${idField} is ${describe(id)}; ids must be strings, as document keys are`);
      if (Object.hasOwn(out, id)) throw new ReduxBindingError('bad-id', `${path} holds two entities with ${idField} ${JSON.stringify(id)}`);
      defineOwn(out, id, entity);
    }
    read.set(slice, out);
    return out;
  };
  // A document entry stored under one key must carry that key as its id.
  const keyed = (value: unknown, id: string, path: string): unknown => {
    if (!isPlainObject(value) || value[idField] !== id) {
      throw new ReduxBindingError('bad-slice', `the document holds ${describe(value)} under ${JSON.stringify(id)}, not an object whose ${idField} is that key, so ${path} cannot take it`);
    }
    return value;
  };
  return {
    entities,
    patch(slice, changes, path) {
      const before = entities(slice, path);
      const deleted = new Set(changes.deleted);
      const out: unknown[] = [];
      for (const entity of slice as readonly Record<string, unknown>[]) {
        const id = entity[idField] as string;
        if (deleted.has(id)) continue;
        out.push(Object.hasOwn(changes.set, id) ? keyed(changes.set[id], id, path) : entity);
      }
      for (const id of Object.keys(changes.set).sort()) if (!Object.hasOwn(before, id)) out.push(keyed(changes.set[id], id, path));
      return out;
    },
  };
}
