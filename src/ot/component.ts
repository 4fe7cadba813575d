/**
 * The component grammar shared by plain-text and rich-text operations: the Quill Delta
 * ops array, which is also the JSON twin of an op and what goes over the wire.
 *
 * ```
 * op        := component*
 * component := { retain: n, attributes? }    keep n code units (rich text: and format them)
 *            | { insert: 'text', attributes? } insert text here
 *            | { delete: n }                  remove n code units
 * ```
 *
 * Lengths are UTF-16 code units, safe integers ≥ 1. An op reads the document from its
 * start; the part after its last retain or delete is kept as it is (an implicit retain).
 * `attributes` exist only in rich text: on an insert they format the new text, on a
 * retain they set values and `null` removes one.
 *
 * @example
 * [{ retain: 5 }, { insert: ', world' }]                 // "hello" → "hello, world"
 * [{ delete: 1 }, { insert: 'J' }]                       // "jam" → "Jam"
 * [{ retain: 3, attributes: { bold: true } }]            // embolden the first 3 units
 * [{ retain: 3, attributes: { bold: null } }]            // and remove it again
 */
import { isWellFormed, type JsonValue } from '../codec/index.js';
import { OTError } from './errors.js';

/**
 * Formatting of a run of rich text: attribute names to JSON values. In a retain, `null`
 * removes the attribute; a document never holds `null`.
 */
export type AttributeMap = { readonly [name: string]: JsonValue };

/** Keep `retain` code units, and in rich text apply `attributes` to them. */
export interface Retain {
  readonly retain: number;
  readonly attributes?: AttributeMap;
}

/** Insert `insert` at the current position, formatted with `attributes` in rich text. */
export interface Insert {
  readonly insert: string;
  readonly attributes?: AttributeMap;
}

/** Remove `delete` code units at the current position. */
export interface Delete {
  readonly delete: number;
}

/** One step of an op. */
export type Component = Retain | Insert | Delete;

/** Every field a component may have, for reading a component whose kind is not known yet. */
export interface LooseComponent {
  readonly retain?: number;
  readonly insert?: string;
  readonly delete?: number;
  readonly attributes?: AttributeMap;
}

/** The kind of a component; `End` stands for the implicit retain after the last one. */
export const enum Kind {
  Retain = 0,
  Insert = 1,
  Delete = 2,
  End = 3,
}

/**
 * Makes the length fields of component objects hold any value, once, at load.
 *
 * V8 gives every `{ retain: n }` object literal in a realm one hidden class, shared with
 * every other library, whose field starts out holding small integers. The first number
 * any code stores there that is not one (Quill's Delta does, with lengths computed
 * through `Math.min` and `Infinity`) turns it into a field of boxed doubles for good, and
 * from then on each retain or delete Tandem creates costs a second allocation: compose
 * took 30% longer after quill-delta had run in the same process. A field that has held a
 * string holds any value, small integers unboxed, and no later store changes it. The
 * objects are kept, so that their hidden classes (which a full collection could otherwise
 * drop with the last object using them) keep that field for the life of the page.
 */
function storeAnyValueInLengthFields(): readonly object[] {
  return Object.freeze([{ retain: '' }, { retain: '', attributes: {} }, { delete: '' }]);
}
/** The objects of {@link storeAnyValueInLengthFields}, kept alive. */
export const ANY_VALUE_LENGTH_FIELDS: readonly object[] = storeAnyValueInLengthFields();

/** Deepest nesting accepted inside an attribute value (the codec's default `maxDepth`). */
const MAX_ATTRIBUTE_DEPTH = 64;

/** Whether a UTF-16 code unit is the first half of a surrogate pair. */
export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** Whether a UTF-16 code unit is the second half of a surrogate pair. */
export function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Whether cutting `text` at `index` would separate the two halves of a surrogate pair. */
export function splitsPair(text: string, index: number): boolean {
  return index > 0 && index < text.length && isLowSurrogate(text.charCodeAt(index)) && isHighSurrogate(text.charCodeAt(index - 1));
}

/** The length (retain or delete) of a component, checked. */
function checkLength(n: unknown, key: string, index: number): void {
  if (typeof n !== 'number') throw new OTError('malformed', `${key} must be a number, got ${typeof n}`, index);
  if (!Number.isSafeInteger(n)) throw new OTError('not-integer', `${key} must be a safe integer, got ${n}`, index);
  if (n < 0) throw new OTError('negative', `${key} must be at least 1, got ${n}`, index);
  if (n === 0) throw new OTError('zero-length', `${key} must be at least 1, got 0`, index);
}

function checkValue(value: unknown, path: string, depth: number, index: number): void {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) throw new OTError('lone-surrogate', `${path} holds a lone surrogate`, index);
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new OTError('malformed', `${path} is ${value}, which is not JSON`, index);
      return;
    case 'boolean':
      return;
    case 'object': {
      if (value === null) return;
      if (depth >= MAX_ATTRIBUTE_DEPTH) {
        throw new OTError('malformed', `${path} nests deeper than ${MAX_ATTRIBUTE_DEPTH} levels (or is cyclic)`, index);
      }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) checkValue(value[i], `${path}[${i}]`, depth + 1, index);
        return;
      }
      checkPlainObject(value, path, index);
      for (const key of Object.keys(value)) {
        if (!isWellFormed(key)) throw new OTError('lone-surrogate', `${path} has a key with a lone surrogate`, index);
        checkValue((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, index);
      }
      return;
    }
    default:
      throw new OTError('malformed', `${path} is ${typeof value}, which is not JSON`, index);
  }
}

function checkPlainObject(value: object, path: string, index: number): void {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new OTError('malformed', `${path} must be a plain object`, index);
}

function checkAttributes(attributes: unknown, inserting: boolean, index: number): void {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw new OTError('malformed', 'attributes must be an object such as {bold: true}', index);
  }
  checkPlainObject(attributes, 'attributes', index);
  for (const name in attributes) {
    if (!Object.hasOwn(attributes, name)) continue;
    if (!isWellFormed(name)) throw new OTError('lone-surrogate', 'an attribute name holds a lone surrogate', index);
    const value = (attributes as Record<string, unknown>)[name];
    if (value === null && inserting) {
      throw new OTError('malformed', `attribute ${JSON.stringify(name)} is null in an insert: only a retain removes attributes`, index);
    }
    checkValue(value, `attributes.${name}`, 1, index);
  }
}

/**
 * Checks one component against the grammar and returns its kind.
 * @param rich whether attributes are allowed (rich text).
 * @throws {OTError} naming the rule the component breaks.
 */
export function checkComponent(component: unknown, index: number, rich: boolean): Kind {
  if (typeof component !== 'object' || component === null || Array.isArray(component)) {
    throw new OTError('malformed', 'a component must be an object such as {retain: 3}', index);
  }
  // The kind is taken from the keys as they are listed: an `in` test per kind costs more
  // than the rest of the check, components of rich text having too many shapes for the
  // JIT to cache.
  let kinds = 0;
  let kind = Kind.End;
  let formatted = false;
  for (const key in component) {
    if (key === 'retain') kind = Kind.Retain;
    else if (key === 'insert') kind = Kind.Insert;
    else if (key === 'delete') kind = Kind.Delete;
    else if (key === 'attributes') {
      formatted = true;
      continue;
    } else throw new OTError('unknown-key', `a component has no field ${JSON.stringify(key)}`, index);
    kinds++;
  }
  if (kinds !== 1) throw new OTError('malformed', 'a component has exactly one of retain, insert, delete', index);
  const c = component as LooseComponent;
  if (kind === Kind.Insert) {
    const text: unknown = c.insert;
    if (typeof text !== 'string') throw new OTError('malformed', `insert must be a string, got ${typeof text}`, index);
    if (text.length === 0) throw new OTError('zero-length', "insert must not be ''", index);
    if (!isWellFormed(text)) throw new OTError('lone-surrogate', 'inserted text holds a lone surrogate', index);
  } else checkLength(kind === Kind.Retain ? c.retain : c.delete, kind === Kind.Retain ? 'retain' : 'delete', index);
  if (formatted) {
    if (!rich) throw new OTError('malformed', 'plain-text ops carry no attributes', index);
    if (kind === Kind.Delete) throw new OTError('malformed', 'a delete carries no attributes', index);
    checkAttributes(c.attributes, kind === Kind.Insert, index);
  }
  return kind;
}

/**
 * Checks that an op is an array, before its components are read.
 * @throws {OTError} `malformed`.
 */
export function checkArray(op: unknown): asserts op is readonly unknown[] {
  if (!Array.isArray(op)) throw new OTError('malformed', 'an op must be an array of components such as [{retain: 3}]');
}
