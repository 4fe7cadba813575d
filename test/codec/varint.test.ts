/**
 * `uint` and `sint` (FORMAT.md section 1): exact bytes against a BigInt reference,
 * round trips, minimal size, canonical-only decoding, overflow and truncation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, Reader, Writer } from '../../src/codec/index.js';
import { expectDecodeError, hex, leb128, readerOf, runs, written, zigzag } from './helpers.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** Minimal LEB128 size of a non-negative bigint. */
function minimalSize(n: bigint): number {
  let size = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    size++;
  }
  return size;
}

/** Integers that sit on every 7-bit group boundary, plus the edges of the safe range. */
const boundaryUints: number[] = [0, 1, 127, 128, 255, 256, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, MAX];
for (let bits = 7; bits <= 49; bits += 7) boundaryUints.push(2 ** bits - 1, 2 ** bits, 2 ** bits + 1);

const anyUint = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.nat(),
  fc.maxSafeNat(),
  fc.constantFrom(...boundaryUints),
  fc.integer({ min: 0, max: 52 }).map((bits) => 2 ** bits),
);
const anySint = fc.oneof(
  fc.integer({ min: -300, max: 300 }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(...boundaryUints, ...boundaryUints.map((n) => -n)),
  fc.integer({ min: 0, max: 52 }).map((bits) => -(2 ** bits)),
);

describe('Writer.uint / Reader.uint', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [16383, [0xff, 0x7f]],
    [16384, [0x80, 0x80, 0x01]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
    [MAX, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('encodes %d as its documented bytes', (n, bytes) => {
    const out = written((w) => w.uint(n));
    expect(hex(out)).toBe(hex(bytes));
    const r = readerOf(out);
    expect(r.uint()).toBe(n);
    expect(r.remaining).toBe(0);
  });

  it('matches the reference encoding and is minimal on every group boundary', () => {
    for (const n of boundaryUints) {
      const out = written((w) => w.uint(n));
      expect(hex(out), `uint ${n}`).toBe(hex(leb128(BigInt(n))));
      expect(out.length, `uint ${n}`).toBe(minimalSize(BigInt(n)));
      expect(readerOf(out).uint()).toBe(n);
    }
    expect(written((w) => w.uint(127)).length).toBe(1);
    expect(written((w) => w.uint(128)).length).toBe(2);
    expect(written((w) => w.uint(MAX)).length).toBe(8);
  });

  it('round-trips every safe non-negative integer, byte-identical to the reference (property)', () => {
    fc.assert(
      fc.property(anyUint, (n) => {
        const out = written((w) => w.uint(n));
        expect(hex(out)).toBe(hex(leb128(BigInt(n))));
        const r = readerOf(out);
        expect(r.uint()).toBe(n);
        expect(r.pos).toBe(out.length);
      }),
      runs(2000),
    );
  });

  it('reads a sequence of varints back in order, each advancing exactly its size (property)', () => {
    fc.assert(
      fc.property(fc.array(anyUint, { maxLength: 40 }), (ns) => {
        const out = written((w) => ns.forEach((n) => w.uint(n)));
        const r = readerOf(out);
        for (const n of ns) {
          const before = r.pos;
          expect(r.uint()).toBe(n);
          expect(r.pos - before).toBe(minimalSize(BigInt(n)));
        }
        r.done();
      }),
      runs(300),
    );
  });

  it('writes -0 as the canonical 0', () => {
    expect(hex(written((w) => w.uint(-0)))).toBe('00');
  });

  it.each([-1, -0.5, 0.5, 1.5, 127.5, 2 ** 40 + 0.5, 2 ** 53, 2 ** 60, -(2 ** 53), NaN, Infinity, -Infinity])(
    'refuses to write %d with a RangeError, writing nothing',
    (n) => {
      const w = new Writer();
      w.uint(5);
      expect(() => w.uint(n)).toThrow(RangeError);
      expect(hex(w.finish())).toBe('05');
    },
  );

  it.each([
    [[0x80, 0x00]],
    [[0xff, 0x00]],
    [[0x80, 0x80, 0x00]],
    [[0x81, 0x80, 0x80, 0x00]],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]],
  ])('refuses the padded varint %j as non-canonical', (bytes) => {
    expectDecodeError(() => readerOf(bytes).uint(), 'non-canonical');
  });

  it('refuses every value padded with a redundant zero byte (property)', () => {
    fc.assert(
      fc.property(anyUint.filter((n) => n < 2 ** 49), (n) => {
        const bytes = leb128(BigInt(n));
        bytes[bytes.length - 1]! |= 0x80;
        bytes.push(0x00);
        expectDecodeError(() => readerOf(bytes).uint(), 'non-canonical');
      }),
      runs(500),
    );
  });

  it('refuses a varint longer than 8 bytes', () => {
    expectDecodeError(() => readerOf([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).uint(), 'varint-overflow');
    expectDecodeError(() => readerOf([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).uint(), 'varint-overflow');
    // Eight continuation bytes are already too long, whatever follows (even nothing).
    expectDecodeError(() => readerOf([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]).uint(), 'varint-overflow');
  });

  it('refuses 8-byte varints above 2^53 - 1', () => {
    const twoTo53 = leb128(2n ** 53n);
    expect(twoTo53.length).toBe(8);
    expectDecodeError(() => readerOf(twoTo53).uint(), 'varint-overflow');
    expectDecodeError(() => readerOf(leb128(2n ** 56n - 1n)).uint(), 'varint-overflow');
    expectDecodeError(() => readerOf(leb128(2n ** 53n + 1n)).uint(), 'varint-overflow');
    expect(readerOf(leb128(2n ** 53n - 1n)).uint()).toBe(MAX);
  });

  it('refuses every 8-byte varint above the safe range (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 2n ** 56n - 1n }), (n) => {
        expectDecodeError(() => readerOf(leb128(n)).uint(), 'varint-overflow');
      }),
      runs(500),
    );
  });

  it('reports truncation when the input ends inside a varint', () => {
    expectDecodeError(() => readerOf([]).uint(), 'truncated');
    expectDecodeError(() => readerOf([0x80]).uint(), 'truncated');
    expectDecodeError(() => readerOf([0xff, 0xff, 0xff]).uint(), 'truncated');
  });

  it('reports truncation at every proper prefix of a multi-byte varint (property)', () => {
    fc.assert(
      fc.property(anyUint.filter((n) => n >= 128), (n) => {
        const bytes = leb128(BigInt(n));
        for (let cut = 0; cut < bytes.length; cut++) {
          expectDecodeError(() => readerOf(bytes.slice(0, cut)).uint(), 'truncated');
        }
      }),
      runs(300),
    );
  });

  it('stops at the end of its range, not at the end of the buffer', () => {
    const bytes = Uint8Array.from([0x00, 0x80, 0x01]);
    const r = new Reader(bytes, DEFAULT_LIMITS, 1, 2);
    expectDecodeError(() => r.uint(), 'truncated');
    const whole = new Reader(bytes, DEFAULT_LIMITS, 1, 3);
    expect(whole.uint()).toBe(128);
  });

  it('locates the error at the start of the varint', () => {
    const r = readerOf([0x05, 0x07, 0x80, 0x00]);
    r.uint();
    r.uint();
    const e = expectDecodeError(() => r.uint(), 'non-canonical');
    expect(e.offset).toBe(2);
  });
});

describe('Writer.sint / Reader.sint', () => {
  it.each([
    [0, [0x00]],
    [-1, [0x01]],
    [1, [0x02]],
    [-2, [0x03]],
    [63, [0x7e]],
    [-64, [0x7f]],
    [64, [0x80, 0x01]],
    [-65, [0x81, 0x01]],
    [7, [0x0e]],
  ])('encodes %d as its zigzag bytes', (n, bytes) => {
    const out = written((w) => w.sint(n));
    expect(hex(out)).toBe(hex(bytes));
    expect(readerOf(out).sint()).toBe(n);
  });

  it.each([0, 1, -1, 127, 128, 2 ** 31, -(2 ** 31), 2 ** 32, -(2 ** 32), MAX, -MAX, MAX - 1, -MAX + 1])(
    'round-trips %d byte-identical to the zigzag reference, in at most 8 bytes',
    (n) => {
      const out = written((w) => w.sint(n));
      const reference = leb128(zigzag(BigInt(n)));
      expect(hex(out)).toBe(hex(reference));
      expect(out.length).toBe(minimalSize(zigzag(BigInt(n))));
      expect(out.length).toBeLessThanOrEqual(8);
      const r = readerOf(out);
      expect(r.sint()).toBe(n);
      expect(r.remaining).toBe(0);
    },
  );

  it('round-trips every safe integer, byte-identical to the reference (property)', () => {
    fc.assert(
      fc.property(anySint, (n) => {
        const out = written((w) => w.sint(n));
        expect(hex(out)).toBe(hex(leb128(zigzag(BigInt(n)))));
        const r = readerOf(out);
        const back = r.sint();
        expect(Object.is(back, n === 0 ? 0 : n)).toBe(true);
        expect(r.pos).toBe(out.length);
      }),
      runs(2000),
    );
  });

  it('writes -0 as 0', () => {
    expect(hex(written((w) => w.sint(-0)))).toBe('00');
    expect(Object.is(readerOf([0x00]).sint(), 0)).toBe(true);
  });

  it.each([0.5, -0.5, 1.5, 2 ** 53, -(2 ** 53), 2 ** 60, NaN, Infinity, -Infinity])(
    'refuses to write %d with a RangeError, writing nothing',
    (n) => {
      const w = new Writer();
      expect(() => w.sint(n)).toThrow(RangeError);
      expect(w.pos).toBe(0);
    },
  );

  it.each([[[0x80, 0x00]], [[0x81, 0x00]], [[0xfe, 0x80, 0x00]], [[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]]])(
    'refuses the padded signed varint %j as non-canonical',
    (bytes) => {
      expectDecodeError(() => readerOf(bytes).sint(), 'non-canonical');
    },
  );

  it('refuses every signed value padded with a redundant zero byte (property)', () => {
    fc.assert(
      fc.property(anySint.filter((n) => Math.abs(n) < 2 ** 47), (n) => {
        const bytes = leb128(zigzag(BigInt(n)));
        bytes[bytes.length - 1]! |= 0x80;
        bytes.push(0x00);
        expectDecodeError(() => readerOf(bytes).sint(), 'non-canonical');
      }),
      runs(500),
    );
  });

  it('refuses values outside ±(2^53 - 1)', () => {
    expectDecodeError(() => readerOf(leb128(zigzag(2n ** 53n))).sint(), 'varint-overflow');
    expectDecodeError(() => readerOf(leb128(zigzag(-(2n ** 53n)))).sint(), 'varint-overflow');
    expectDecodeError(() => readerOf(leb128(2n ** 56n - 1n)).sint(), 'varint-overflow');
  });

  it('refuses every 8-byte zigzag value outside the safe range (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 2n ** 55n - 1n }), fc.boolean(), (magnitude, negative) => {
        const n = negative ? -magnitude : magnitude;
        expectDecodeError(() => readerOf(leb128(zigzag(n))).sint(), 'varint-overflow');
      }),
      runs(500),
    );
  });

  it('refuses a signed varint longer than 8 bytes', () => {
    expectDecodeError(() => readerOf([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).sint(), 'varint-overflow');
    expectDecodeError(() => readerOf([0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).sint(), 'varint-overflow');
  });

  it('reports truncation when the input ends inside a signed varint', () => {
    expectDecodeError(() => readerOf([]).sint(), 'truncated');
    expectDecodeError(() => readerOf([0x80]).sint(), 'truncated');
    expectDecodeError(() => readerOf([0xff, 0xff]).sint(), 'truncated');
    fc.assert(
      fc.property(anySint.filter((n) => Math.abs(n) >= 64), (n) => {
        const bytes = leb128(zigzag(BigInt(n)));
        for (let cut = 0; cut < bytes.length; cut++) {
          expectDecodeError(() => readerOf(bytes.slice(0, cut)).sint(), 'truncated');
        }
      }),
      runs(300),
    );
  });

  it('is the zigzag of uint: a uint reader reads the zigzag value of a sint encoding (property)', () => {
    fc.assert(
      fc.property(anySint.filter((n) => Math.abs(n) < 2 ** 52), (n) => {
        const out = written((w) => w.sint(n));
        expect(BigInt(readerOf(out).uint())).toBe(zigzag(BigInt(n)));
      }),
      runs(500),
    );
  });
});
