import type { Reader } from './reader.js';
import { utf8Length, type Writer } from './writer.js';

/**
 * Any JSON value. Values held by Tandem types are deep copies in canonical form (object
 * keys sorted by UTF-16 code units) and frozen, so they can be shared without copying.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Int = 3,
  Float = 4,
  String = 5,
  Array = 6,
  Object = 7,
}

const hasWellFormed = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string is well-formed UTF-16 (has no lone surrogate), so it has a UTF-8 form. */
export function isWellFormed(s: string): boolean {
  return hasWellFormed ? (s as string & { isWellFormed(): boolean }).isWellFormed() : !LONE_SURROGATE.test(s);
}

/** Sets an own enumerable property, even for the key `__proto__`. */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** The limits a value is held to: those a receiving replica applies (see `DecodeLimits`). */
export interface ValueLimits {
  readonly maxDepth: number;
  readonly maxStringBytes: number;
  readonly maxItems: number;
}

/**
 * Validates a value given to a local method and returns its canonical frozen copy.
 * Primitives are returned as they are (`-0` becomes `0`). The value must also fit the
 * limits, since a replica with the same limits would refuse an update holding it.
 *
 * @param what names the argument in error messages, such as `"element"`.
 * @throws {TypeError} when the value is not JSON: `undefined`, a function, a symbol, a
 *   bigint, NaN or ±Infinity, a string with a lone surrogate, a sparse array, or an
 *   object that is not a plain object (a `Date`, a `Map`, a class instance).
 * @throws {RangeError} when arrays and objects nest deeper than `maxDepth` (a cyclic
 *   value always does), a string or key is longer than `maxStringBytes` in UTF-8, or the
 *   value holds more than `maxItems` array items and object entries.
 */
export function ingestValue(value: unknown, what: string, limits: ValueLimits): JsonValue {
  const budget = { items: limits.maxItems };
  return ingest(value, what, 0, limits, budget);
}

/**
 * Checks a string against `maxStringBytes`, computing its UTF-8 length only when its
 * UTF-16 length leaves the answer open.
 * @throws {RangeError}
 */
export function checkStringSize(s: string, path: string, maxStringBytes: number): void {
  if (s.length * 3 <= maxStringBytes) return;
  if (s.length > maxStringBytes || utf8Length(s) > maxStringBytes) {
    throw new RangeError(`${path} is longer than maxStringBytes ${maxStringBytes} in UTF-8`);
  }
}

function ingest(value: unknown, path: string, depth: number, limits: ValueLimits, budget: { items: number }): JsonValue {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) throw new TypeError(`${path} is a string with a lone surrogate, which has no UTF-8 form`);
      checkStringSize(value, path, limits.maxStringBytes);
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is ${value}, which is not a JSON number`);
      return value === 0 ? 0 : value;
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (depth >= limits.maxDepth) {
        throw new RangeError(`${path} nests deeper than maxDepth ${limits.maxDepth} (or is cyclic)`);
      }
      if (Array.isArray(value)) {
        budget.items -= value.length;
        if (budget.items < 0) throw new RangeError(`${path}: the value holds more than maxItems ${limits.maxItems} items`);
        const out: JsonValue[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new TypeError(`${path}[${i}] is a hole in a sparse array, which is not JSON`);
          out[i] = ingest(value[i], `${path}[${i}]`, depth + 1, limits, budget);
        }
        return Object.freeze(out);
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        throw new TypeError(`${path} is a ${name}; only plain objects, arrays and primitives are JSON`);
      }
      const keys = Object.keys(value).sort();
      budget.items -= keys.length;
      if (budget.items < 0) throw new RangeError(`${path}: the value holds more than maxItems ${limits.maxItems} items`);
      const out: Record<string, JsonValue> = {};
      for (const key of keys) {
        if (!isWellFormed(key)) throw new TypeError(`${path} has a key with a lone surrogate`);
        checkStringSize(key, `${path} key`, limits.maxStringBytes);
        defineOwn(out, key, ingest((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, limits, budget));
      }
      return Object.freeze(out);
    }
    default:
      throw new TypeError(`${path} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}, which is not JSON`);
  }
}

/** Writes a canonical value (one from {@link ingestValue} or {@link readValue}). */
export function writeValue(w: Writer, value: JsonValue): void {
  switch (typeof value) {
    case 'string':
      w.u8(Tag.String);
      w.str(value);
      return;
    case 'number':
      if (Number.isSafeInteger(value)) {
        w.u8(Tag.Int);
        w.sint(value);
      } else {
        w.u8(Tag.Float);
        w.f64(value);
      }
      return;
    case 'boolean':
      w.u8(value ? Tag.True : Tag.False);
      return;
    default:
      if (value === null) {
        w.u8(Tag.Null);
      } else if (Array.isArray(value)) {
        w.u8(Tag.Array);
        w.uint(value.length);
        for (const item of value as readonly JsonValue[]) writeValue(w, item);
      } else {
        const record = value as { readonly [key: string]: JsonValue };
        // Sorted here, not only at ingest: JavaScript lists integer-like keys ("0", "10")
        // first whatever the insertion order.
        const keys = Object.keys(record).sort();
        w.u8(Tag.Object);
        w.uint(keys.length);
        for (const key of keys) {
          w.str(key);
          writeValue(w, record[key]!);
        }
      }
  }
}

/** Reads a value, refusing non-canonical encodings; the result is canonical and frozen. */
export function readValue(r: Reader, depth = 0): JsonValue {
  const tag = r.u8();
  switch (tag) {
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Int:
      return r.sint();
    case Tag.Float: {
      const x = r.f64();
      if (!Number.isFinite(x)) throw r.error('invalid-value', `float64 ${x} is not a JSON number`);
      if (Number.isSafeInteger(x) || Object.is(x, -0)) {
        throw r.error('non-canonical', `float64 ${x} must be encoded as an integer`);
      }
      return x;
    }
    case Tag.String:
      return r.str();
    case Tag.Array: {
      if (depth >= r.limits.maxDepth) throw r.error('limit-exceeded', `value nests deeper than maxDepth ${r.limits.maxDepth}`);
      const n = r.count();
      const out: JsonValue[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readValue(r, depth + 1);
      return Object.freeze(out);
    }
    case Tag.Object: {
      if (depth >= r.limits.maxDepth) throw r.error('limit-exceeded', `value nests deeper than maxDepth ${r.limits.maxDepth}`);
      const n = r.count(2);
      const out: Record<string, JsonValue> = {};
      let previous: string | undefined;
      for (let i = 0; i < n; i++) {
        const key = r.str();
        if (previous !== undefined && !(previous < key)) {
          throw r.error('non-canonical', 'object keys must be unique and sorted');
        }
        previous = key;
        defineOwn(out, key, readValue(r, depth + 1));
      }
      return Object.freeze(out);
    }
    default:
      throw r.error('invalid-value', `unknown value tag 0x${tag.toString(16).padStart(2, '0')}`);
  }
}

/**
 * Validates a value met in a JSON twin and returns its canonical frozen copy; the frame
 * it goes into is then decoded, which applies every limit.
 * @throws {TypeError} / {@link RangeError} (wrapped into a DecodeError by the caller).
 */
export function valueFromJSON(value: unknown, limits: ValueLimits): JsonValue {
  return ingestValue(value, 'value', limits);
}

/** Whether two canonical values have the same JSON content. */
export function valuesEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Orders canonical values by their JSON text, for deterministic output. */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A map keyed by JSON content: `[1, {a: 2}]` and an equal value built elsewhere are the
 * same key, and the string `"1"` and the number `1` are different keys.
 */
export class ValueMap<E> {
  private readonly primitives = new Map<string | number | boolean | null, E>();
  private readonly composites = new Map<string, E>();

  private static compositeKey(value: object): string {
    return JSON.stringify(value);
  }

  /** Number of keys. */
  get size(): number {
    return this.primitives.size + this.composites.size;
  }

  /** The entry for a value, if any. */
  get(value: JsonValue): E | undefined {
    return typeof value === 'object' && value !== null
      ? this.composites.get(ValueMap.compositeKey(value))
      : this.primitives.get(value);
  }

  /** Sets the entry for a value. */
  set(value: JsonValue, entry: E): void {
    if (typeof value === 'object' && value !== null) this.composites.set(ValueMap.compositeKey(value), entry);
    else this.primitives.set(value, entry);
  }

  /** Removes the entry for a value; returns whether there was one. */
  delete(value: JsonValue): boolean {
    return typeof value === 'object' && value !== null
      ? this.composites.delete(ValueMap.compositeKey(value))
      : this.primitives.delete(value);
  }

  /** Removes every entry. */
  clear(): void {
    this.primitives.clear();
    this.composites.clear();
  }

  /** Every entry, primitives first, each group in insertion order. */
  *values(): IterableIterator<E> {
    yield* this.primitives.values();
    yield* this.composites.values();
  }
}
