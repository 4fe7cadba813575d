import { DecodeError, isWellFormed, type DecodeLimits, type Reader, type Writer } from '../../codec/index.js';
import type { ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';
import { sequenceCodec, type ContentCodec } from './codec.js';
import { Sequence, type Anchor } from './sequence.js';

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

const SURROGATE = /[\uD800-\uDFFF]/;

function highAt(s: string, offset: number): boolean {
  return isHigh(s.charCodeAt(offset));
}

const textItems: ContentCodec<string> = {
  measure: (s) => s.length,
  cut: (s, start, end) => s.slice(start, end),
  write(w: Writer, parts: readonly string[]): void {
    w.str(parts.join(''));
  },
  read(r: Reader, count: number): string {
    const s = r.str();
    if (s.length !== count) throw r.error('invalid-value', `the visible runs hold ${count} UTF-16 code units, the text ${s.length}`);
    return s;
  },
  whole: (s) => !isLow(s.charCodeAt(0)) && !isHigh(s.charCodeAt(s.length - 1)),
  toJSON: (s) => s,
  fromJSON(json: unknown, path: string, _limits: DecodeLimits): string {
    if (typeof json !== 'string' || json.length === 0) throw new DecodeError('invalid-value', `${path} must be a non-empty string`);
    if (!isWellFormed(json)) throw new DecodeError('invalid-value', `${path} has a lone surrogate`);
    return json;
  },
};

/** The payload codec of {@link Text} (`FORMAT.md` section 4.8). */
export const textCodec = sequenceCodec(TAG.Text, 'text', textItems);

/**
 * Collaborative plain text: a sequence CRDT (FugueMax) whose replicas converge whatever
 * the order, duplication or delay of their updates, and where text typed concurrently
 * at the same place never interleaves, forwards or backwards.
 *
 * Indexes count UTF-16 code units, like `String.prototype.slice`. An index that is not
 * an integer, lies outside the text, or would split a surrogate pair is a `RangeError`:
 * nothing is clamped.
 *
 * @example
 * const doc = new Text({ replica: 'alice' });
 * doc.insert(0, 'hello').insert(5, ' world').delete(0, 1);
 * doc.toString(); // 'ello world'
 */
export class Text extends Sequence<string> {
  constructor(options: ReplicatedOptions) {
    super(options, textCodec);
  }

  /** @inheritDoc */
  protected measure(content: string): number {
    return content.length;
  }

  /** @inheritDoc */
  protected cut(content: string, start: number, end: number): string {
    return content.slice(start, end);
  }

  /** @inheritDoc */
  protected join(content: string, more: string): string {
    return content + more;
  }

  /** @inheritDoc */
  protected joinAll(parts: string[]): string {
    return parts.join('');
  }

  /** @inheritDoc */
  protected sameContent(a: string, b: string): boolean {
    return a === b;
  }

  /** @inheritDoc */
  protected paired(content: string): boolean {
    return SURROGATE.test(content);
  }

  /** @inheritDoc */
  protected half(content: string, offset: number): 0 | 1 | 2 {
    const code = content.charCodeAt(offset);
    return isHigh(code) ? 1 : isLow(code) ? 2 : 0;
  }

  private checkBoundary(index: number, what: string): void {
    if (!this.pairs || index <= 0 || index >= this.length) return;
    // The text is well-formed, so a high surrogate before the index has its pair after it.
    if (this.readItem(index - 1, highAt)) throw new RangeError(`${what} ${index} would split a surrogate pair`);
  }

  /**
   * Inserts `text` before the code unit at `index` (at the end when `index` is the length).
   * @throws {TypeError} when `text` is not a string or has a lone surrogate.
   * @throws {RangeError} when `index` is not an integer from 0 to the length, or splits a
   *   surrogate pair.
   */
  insert(index: number, text: string): this {
    this.checkIndex(index, this.length, 'index');
    if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${typeof text}`);
    if (!isWellFormed(text)) throw new TypeError('text must be well-formed UTF-16 (it has a lone surrogate)');
    // insertItems refuses an index inside a surrogate pair, with the same check.
    if (text.length > 0) this.insertItems(index, text, text.length);
    return this;
  }

  /**
   * Deletes `count` code units from `index`.
   * @throws {RangeError} when `index` or `count` is not an integer, the range passes the
   *   end, or either end splits a surrogate pair.
   */
  delete(index: number, count: number): this {
    this.checkIndex(index, this.length, 'index');
    this.checkIndex(count, this.length - index, 'count');
    // deleteItems refuses ends inside a surrogate pair.
    if (count > 0) this.deleteItems(index, count);
    return this;
  }

  /**
   * An anchor at `index`: `before` binds to the code unit before it, `after` to the one
   * at it (see {@link Anchor}).
   * @throws {RangeError} when `index` is not an integer from 0 to the length or splits a
   *   surrogate pair, or `assoc` is neither.
   */
  override anchor(index: number, assoc: 'before' | 'after' = 'after'): Anchor {
    this.checkIndex(index, this.length, 'index');
    this.checkBoundary(index, 'index');
    return super.anchor(index, assoc);
  }

  /** The text. */
  override toString(): string {
    return this.content();
  }

  /**
   * Code units `start .. end − 1`, like `String.prototype.slice` with non-negative bounds.
   * @throws {RangeError} unless 0 ≤ start ≤ end ≤ length, both integers that do not split
   *   a surrogate pair.
   */
  slice(start = 0, end: number = this.length): string {
    this.checkIndex(start, this.length, 'start');
    this.checkIndex(end, this.length, 'end');
    if (end < start) throw new RangeError(`end ${end} is before start ${start}`);
    this.checkBoundary(start, 'start');
    this.checkBoundary(end, 'end');
    return this.range(start, end);
  }
}
