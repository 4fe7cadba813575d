/**
 * Appends the primitives of `FORMAT.md` section 1 to a growable buffer. The writer trusts
 * its caller for ranges (the replicated types only write state they validated), but it
 * still refuses what would produce an encoding the decoder rejects.
 */
export class Writer {
  private buf: Uint8Array;
  /** A DataView of `buf`, made on the first float or 32-bit write (most frames have none). */
  private view: DataView | undefined = undefined;
  /** Number of bytes written so far. */
  pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  private grow(needed: number): void {
    let capacity = this.buf.length * 2;
    while (capacity < this.pos + needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = undefined;
  }

  /** One byte. */
  u8(byte: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = byte;
  }

  /**
   * An unsigned LEB128 varint.
   * @throws {RangeError} when `n` is not a safe non-negative integer.
   */
  uint(n: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    const buf = this.buf;
    if (n < 0x80 && n >= 0 && (n | 0) === n) {
      buf[this.pos++] = n;
      return;
    }
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uint must be a safe integer ≥ 0, got ${n}`);
    let pos = this.pos;
    while (n >= 0x80) {
      buf[pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /**
   * A zigzag signed varint (`FORMAT.md` `sint`).
   * @throws {RangeError} when `n` is not a safe integer.
   */
  sint(n: number): void {
    if (!Number.isSafeInteger(n)) throw new RangeError(`sint must be a safe integer, got ${n}`);
    const negative = n < 0;
    let m = negative ? -n - 1 : n;
    let first = ((m % 64) << 1) | (negative ? 1 : 0);
    m = Math.floor(m / 64);
    if (m > 0) first |= 0x80;
    this.u8(first);
    if (m > 0) this.uint(m);
  }

  /** An IEEE 754 binary64, little-endian. */
  f64(x: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    this.dataView().setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  /**
   * A length-prefixed UTF-8 string.
   * @throws {TypeError} when the string holds a lone surrogate (it has no UTF-8 form).
   */
  str(s: string): void {
    const length = s.length;
    let ascii = true;
    for (let i = 0; i < length; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      this.uint(length);
      if (this.pos + length > this.buf.length) this.grow(length);
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < length; i++) buf[pos++] = s.charCodeAt(i);
      this.pos = pos;
      return;
    }
    const byteLength = utf8Length(s);
    this.uint(byteLength);
    if (this.pos + byteLength > this.buf.length) this.grow(byteLength);
    const { written } = ENCODER.encodeInto(s, this.buf.subarray(this.pos, this.pos + byteLength));
    this.pos += written;
  }

  /** A length-prefixed byte array. */
  bytes(b: Uint8Array): void {
    this.uint(b.length);
    this.raw(b);
  }

  /** Bytes with no length prefix. */
  raw(b: Uint8Array): void {
    if (this.pos + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Overwrites four bytes at `offset` with `n`, little-endian. */
  u32At(offset: number, n: number): void {
    this.dataView().setUint32(offset, n, true);
  }

  private dataView(): DataView {
    if (this.view === undefined) this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.view;
  }

  /** Reserves `n` bytes and returns their offset. */
  reserve(n: number): number {
    if (this.pos + n > this.buf.length) this.grow(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** The bytes written so far, as a view of the internal buffer (no copy). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const ENCODER = new TextEncoder();

/**
 * The UTF-8 byte length of a string.
 * @throws {TypeError} when the string holds a lone surrogate.
 */
export function utf8Length(s: string): number {
  let bytes = 0;
  const length = s.length;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < length ? s.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) throw loneSurrogate(i);
      bytes += 4;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) throw loneSurrogate(i);
    else bytes += 3;
  }
  return bytes;
}

function loneSurrogate(index: number): TypeError {
  return new TypeError(`strings must be well-formed UTF-16: lone surrogate at index ${index}`);
}
