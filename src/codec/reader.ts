import { DecodeError } from './errors.js';
import type { DecodeLimits } from './limits.js';

const DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Character codes of the short ASCII string being read; reused to spare an allocation per string. */
const ASCII_SCRATCH: number[] = [];

/**
 * Reads the primitives of `FORMAT.md` section 1 from a byte range, refusing anything
 * non-canonical and checking every length and count against what remains and against
 * the decoding limits before allocating.
 */
export class Reader {
  pos: number;
  private itemsLeft: number;
  /** A DataView of `bytes`, made on the first float read (most frames have none). */
  private view: DataView | undefined = undefined;

  constructor(
    readonly bytes: Uint8Array,
    readonly limits: DecodeLimits,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
    this.itemsLeft = limits.maxItems;
  }

  /** Bytes left before the end of the range. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** A {@link DecodeError} located at the current position. */
  error(code: DecodeError['code'], message: string): DecodeError {
    return new DecodeError(code, message, this.pos);
  }

  /** One byte. */
  u8(): number {
    if (this.pos >= this.end) throw this.error('truncated', 'expected a byte');
    return this.bytes[this.pos++]!;
  }

  /** A canonical unsigned LEB128 varint of at most 2^53 − 1. */
  uint(): number {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    if (pos >= end) throw this.error('truncated', 'expected a varint');
    let byte = bytes[pos++]!;
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let result = byte & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 8; i++) {
      if (pos >= end) throw this.error('truncated', 'varint runs past the end');
      byte = bytes[pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (byte === 0) throw this.error('non-canonical', 'varint has a redundant trailing zero byte');
        if (result > MAX_SAFE) throw this.error('varint-overflow', 'varint exceeds 2^53 - 1');
        this.pos = pos;
        return result;
      }
      scale *= 0x80;
    }
    throw this.error('varint-overflow', 'varint longer than 8 bytes');
  }

  /** A zigzag signed varint within ±(2^53 − 1). */
  sint(): number {
    const first = this.u8();
    let magnitude = (first & 0x7f) >>> 1;
    if (first & 0x80) {
      const bytes = this.bytes;
      let pos = this.pos;
      let scale = 64;
      for (let i = 1; ; i++) {
        if (i === 8) throw this.error('varint-overflow', 'signed varint longer than 8 bytes');
        if (pos >= this.end) throw this.error('truncated', 'varint runs past the end');
        const byte = bytes[pos++]!;
        magnitude += (byte & 0x7f) * scale;
        if (byte < 0x80) {
          if (byte === 0) throw this.error('non-canonical', 'varint has a redundant trailing zero byte');
          break;
        }
        scale *= 0x80;
      }
      this.pos = pos;
    }
    const negative = (first & 1) === 1;
    if (magnitude > (negative ? MAX_SAFE - 1 : MAX_SAFE)) {
      throw this.error('varint-overflow', 'signed varint outside ±(2^53 - 1)');
    }
    return negative ? -magnitude - 1 : magnitude;
  }

  /** An IEEE 754 binary64, little-endian. */
  f64(): number {
    if (this.end - this.pos < 8) throw this.error('truncated', 'expected 8 bytes of float64');
    this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  /** A length prefix for a string or byte array, checked against what remains and the limits. */
  private length(what: string): number {
    const n = this.uint();
    if (n > this.limits.maxStringBytes) {
      throw this.error('limit-exceeded', `${what} of ${n} bytes exceeds maxStringBytes ${this.limits.maxStringBytes}`);
    }
    if (n > this.end - this.pos) {
      throw this.error('length-out-of-range', `${what} of ${n} bytes but only ${this.end - this.pos} remain`);
    }
    return n;
  }

  /** A length-prefixed string of well-formed UTF-8. */
  str(): string {
    const n = this.length('string');
    const bytes = this.bytes;
    const start = this.pos;
    const end = start + n;
    if (n <= 64) {
      // Short ASCII strings, the common case for keys and ids: one fromCharCode over a
      // reused array yields a flat string. (Concatenating characters would build a rope
      // that every later hash lookup must flatten first.)
      const codes = ASCII_SCRATCH;
      codes.length = n;
      let i = 0;
      for (; i < n; i++) {
        const b = bytes[start + i]!;
        if (b >= 0x80) break;
        codes[i] = b;
      }
      if (i === n) {
        this.pos = end;
        return String.fromCharCode.apply(null, codes);
      }
    }
    let s: string;
    try {
      s = DECODER.decode(bytes.subarray(start, end));
    } catch {
      throw this.error('invalid-value', 'string is not well-formed UTF-8');
    }
    this.pos = end;
    return s;
  }

  /** A length-prefixed byte array (a copy). */
  byteArray(): Uint8Array {
    const n = this.length('byte array');
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /**
   * A count of items that each take at least `minBytes` bytes, checked against what
   * remains and charged to the frame's `maxItems` budget before the caller allocates.
   */
  count(minBytes = 1): number {
    const n = this.uint();
    if (n * minBytes > this.end - this.pos) {
      throw this.error('length-out-of-range', `count ${n} cannot fit in the ${this.end - this.pos} bytes that remain`);
    }
    this.charge(n);
    return n;
  }

  /** Charges `n` items to the frame's `maxItems` budget. */
  charge(n: number): void {
    this.itemsLeft -= n;
    if (this.itemsLeft < 0) {
      throw this.error('limit-exceeded', `frame holds more than maxItems ${this.limits.maxItems} items`);
    }
  }

  /** Throws unless the whole range has been consumed. */
  done(): void {
    if (this.pos !== this.end) throw this.error('trailing-bytes', `${this.end - this.pos} bytes left over`);
  }
}
