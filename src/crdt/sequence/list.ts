import { DecodeError, ingestValue, readValue, valuesEqual, writeValue, type DecodeLimits, type JsonValue, type Reader, type Writer } from '../../codec/index.js';
import type { ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';
import { sequenceCodec, type ContentCodec } from './codec.js';
import { Sequence } from './sequence.js';

function itemOf(items: JsonValue[], offset: number): JsonValue {
  return items[offset]!;
}

const listItems: ContentCodec<JsonValue[]> = {
  measure: (items) => items.length,
  cut: (items, start, end) => items.slice(start, end),
  write(w: Writer, parts: readonly JsonValue[][]): void {
    let n = 0;
    for (const part of parts) n += part.length;
    w.uint(n);
    for (const part of parts) for (const item of part) writeValue(w, item);
  },
  read(r: Reader, count: number): JsonValue[] {
    const n = r.count(1);
    if (n !== count) throw r.error('invalid-value', `the visible runs hold ${count} items, the list ${n}`);
    const items: JsonValue[] = new Array(n);
    for (let i = 0; i < n; i++) items[i] = readValue(r);
    return items;
  },
  whole: () => true,
  toJSON: (items) => items,
  fromJSON(json: unknown, path: string, limits: DecodeLimits): JsonValue[] {
    if (!Array.isArray(json) || json.length === 0) throw new DecodeError('invalid-value', `${path} must be a non-empty array`);
    try {
      return json.map((item) => ingestValue(item, 'item', limits));
    } catch (error) {
      throw new DecodeError('invalid-value', `${path}: ${(error as Error).message}`);
    }
  },
};

/** The payload codec of {@link List} (`FORMAT.md` section 4.8). */
export const listCodec = sequenceCodec(TAG.List, 'list', listItems);

/**
 * A collaborative list of JSON values: the same FugueMax sequence CRDT as {@link Text},
 * over items instead of characters. Items are stored as frozen copies and compared by
 * content; indexes out of range are a `RangeError`, never clamped.
 *
 * @example
 * const todos = new List<string>({ replica: 'bob' });
 * todos.insert(0, 'milk', 'eggs').delete(0, 1);
 * todos.toArray(); // ['eggs']
 */
export class List<T extends JsonValue = JsonValue> extends Sequence<JsonValue[]> {
  constructor(options: ReplicatedOptions) {
    super(options, listCodec);
  }

  /** @inheritDoc */
  protected measure(content: JsonValue[]): number {
    return content.length;
  }

  /** @inheritDoc */
  protected cut(content: JsonValue[], start: number, end: number): JsonValue[] {
    return content.slice(start, end);
  }

  /** @inheritDoc */
  protected join(content: JsonValue[], more: JsonValue[]): JsonValue[] {
    for (const item of more) content.push(item);
    return content;
  }

  /** @inheritDoc */
  protected joinAll(parts: JsonValue[][]): JsonValue[] {
    return parts.length === 1 ? parts[0]!.slice() : ([] as JsonValue[]).concat(...parts);
  }

  /** @inheritDoc */
  protected half(): 0 {
    return 0;
  }

  /** @inheritDoc */
  protected sameContent(a: JsonValue[], b: JsonValue[]): boolean {
    return a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]!));
  }

  /** @inheritDoc */
  protected paired(): boolean {
    return false;
  }

  /**
   * Inserts `items` before the item at `index` (at the end when `index` is the length).
   * @throws {RangeError} when `index` is not an integer from 0 to the length, or an item
   *   passes the decoding limits; {@link TypeError} when an item is not JSON.
   */
  insert(index: number, ...items: T[]): this {
    this.checkIndex(index, this.length, 'index');
    const copies = items.map((item) => ingestValue(item, 'item', this.limits));
    if (copies.length > 0) this.insertItems(index, copies, copies.length);
    return this;
  }

  /**
   * Deletes `count` items from `index`.
   * @throws {RangeError} when `index` or `count` is not an integer or the range passes the end.
   */
  delete(index: number, count: number): this {
    this.checkIndex(index, this.length, 'index');
    this.checkIndex(count, this.length - index, 'count');
    if (count > 0) this.deleteItems(index, count);
    return this;
  }

  /**
   * The item at `index`.
   * @throws {RangeError} unless 0 ≤ index < length.
   */
  get(index: number): T {
    this.checkIndex(index, this.length - 1, 'index');
    return this.readItem(index, itemOf) as T;
  }

  /** The items, as a new array. */
  toArray(): T[] {
    return this.content() as T[];
  }

  /**
   * Items `start .. end − 1`.
   * @throws {RangeError} unless 0 ≤ start ≤ end ≤ length, both integers.
   */
  slice(start = 0, end: number = this.length): T[] {
    this.checkIndex(start, this.length, 'start');
    this.checkIndex(end, this.length, 'end');
    if (end < start) throw new RangeError(`end ${end} is before start ${start}`);
    return this.range(start, end) as T[];
  }
}
