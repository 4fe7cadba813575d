/**
 * Attribute semantics of rich text, as in Quill Delta: composing sets and overrides,
 * `null` removes, transform keeps the left side's value on conflict, invert restores the
 * previous values. An empty map is always represented as `undefined`.
 */
import { defineOwn, type JsonValue } from '../codec/index.js';
import type { AttributeMap } from './component.js';

function valuesEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  return attributesEqual(a as AttributeMap, b as AttributeMap);
}

/** Whether two attribute maps hold the same names and JSON values (key order aside). */
export function attributesEqual(a: AttributeMap | undefined, b: AttributeMap | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(b, key) || !valuesEqual(a[key], b[key])) return false;
    count++;
  }
  for (const key in b) if (--count < 0) return false;
  return count === 0;
}

/** `undefined` for an empty map. */
export function nonEmpty(map: AttributeMap | undefined): AttributeMap | undefined {
  if (map === undefined) return undefined;
  for (const key in map) if (Object.hasOwn(map, key)) return map;
  return undefined;
}

/**
 * The attributes of text formatted with `a` and then with `b`: `b` wins, names only in
 * `a` stay. With `keepNull` (composing two retains) a `null` of `b` is kept so that it
 * still removes the attribute from the document; otherwise (formatting an insert) it
 * removes the name outright.
 */
export function composeAttributes(
  a: AttributeMap | undefined,
  b: AttributeMap | undefined,
  keepNull: boolean,
): AttributeMap | undefined {
  if (b === undefined) return a;
  if (a === undefined && keepNull) return b;
  const out: Record<string, JsonValue> = {};
  let empty = true;
  for (const key in b) {
    const value = b[key]!;
    if (value !== null || keepNull) {
      defineOwn(out, key, value);
      empty = false;
    }
  }
  if (a !== undefined) {
    for (const key in a) {
      if (!Object.hasOwn(b, key)) {
        defineOwn(out, key, a[key]!);
        empty = false;
      }
    }
  }
  return empty ? undefined : out;
}

/**
 * The attributes a retain of `a` keeps after a concurrent retain of `b` over the same
 * text: all of them when `a` is the left side, otherwise only names `b` does not set.
 */
export function transformAttributes(
  a: AttributeMap | undefined,
  b: AttributeMap | undefined,
  side: 'left' | 'right',
): AttributeMap | undefined {
  if (a === undefined || b === undefined || side === 'left') return a;
  let out: Record<string, JsonValue> | undefined;
  for (const key in a) {
    if (!Object.hasOwn(b, key)) defineOwn((out ??= {}), key, a[key]!);
  }
  return out;
}

/**
 * The attributes that undo formatting text that had `before` with `change`: each name
 * `change` altered gets back its previous value, or `null` when it had none.
 */
export function invertAttributes(
  change: AttributeMap | undefined,
  before: AttributeMap | undefined,
): AttributeMap | undefined {
  if (change === undefined) return undefined;
  let out: Record<string, JsonValue> | undefined;
  for (const key in change) {
    const previous = before !== undefined && Object.hasOwn(before, key) ? before[key]! : null;
    if (!valuesEqual(change[key], previous)) defineOwn((out ??= {}), key, previous);
  }
  return out;
}
