/**
 * Frames (FORMAT.md section 2): layout, the worked examples of section 8, every check
 * of unframe in the documented order, and exhaustive single-byte corruption.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  DecodeError,
  FORMAT_VERSION,
  MAGIC,
  crc32,
  frame,
  resolveLimits,
  unframe,
  type DecodeErrorCode,
} from '../../src/codec/index.js';
import { concat, decodeErrorOf, expectDecodeError, hex, leb128, runs } from './helpers.js';

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text.split(' ').map((b) => parseInt(b, 16)));
}

/** A frame built from the spec, independently of frame(): header, length, payload, CRC LE. */
function referenceFrame(tag: number, payload: Uint8Array | readonly number[], version = 0x01): Uint8Array {
  const body = concat([0x54, 0x44, version, tag], leb128(BigInt(payload.length)), payload);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(body), true);
  return concat(body, crc);
}

/** The payload bytes an Unframed reader is bounded to. */
function payloadOf(bytes: Uint8Array): Uint8Array {
  const { payload } = unframe(bytes, DEFAULT_LIMITS);
  return payload.bytes.subarray(payload.pos, payload.end);
}

/** Recomputes the CRC of a frame after its other bytes were edited. */
function withFixedCrc(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out, 0, out.length - 4), true);
  return out;
}

/** The payloads of the worked examples of FORMAT.md section 8. */
const PNCOUNTER_PAYLOAD = '01 01 61 05 02';
const AWSET_PAYLOAD = '01 01 61 01 00 02 00 00 01 00 02 01 05 01 78 01 03 0e';

describe('frame', () => {
  it('has the constants FORMAT.md gives', () => {
    expect([...MAGIC]).toEqual([0x54, 0x44]);
    expect(Object.isFrozen(MAGIC)).toBe(true);
    expect(FORMAT_VERSION).toBe(1);
  });

  it('frames the PNCounter payload of FORMAT.md section 8 with the documented header', () => {
    const payload = bytesOf(PNCOUNTER_PAYLOAD);
    const bytes = frame(0x02, payload);
    expect(hex(bytes.subarray(0, bytes.length - 4))).toBe('54 44 01 02 05 ' + PNCOUNTER_PAYLOAD);
    expect(hex(bytes.subarray(bytes.length - 4))).toBe('e0 e6 43 84');
    expect(hex(bytes)).toBe(hex(referenceFrame(0x02, payload)));
    const { tag, payload: r } = unframe(bytes, DEFAULT_LIMITS);
    expect(tag).toBe(0x02);
    expect(r.remaining).toBe(5);
  });

  it('frames the AWSet payload of FORMAT.md section 8 with an 18-byte length', () => {
    const payload = bytesOf(AWSET_PAYLOAD);
    expect(payload.length).toBe(18);
    const bytes = frame(0x07, payload);
    expect(hex(bytes.subarray(0, 5))).toBe('54 44 01 07 12');
    expect(hex(payloadOf(bytes))).toBe(AWSET_PAYLOAD);
  });

  it('stores the CRC-32 of every preceding byte, little-endian', () => {
    const bytes = frame(0x02, bytesOf(PNCOUNTER_PAYLOAD));
    const stored = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 4, true);
    expect(stored).toBe(crc32(bytes, 0, bytes.length - 4));
    expect(crc32(bytes)).toBe(0x2144df1c);
  });

  it('frames any payload exactly as the spec lays it out, and unframes it back (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.constantFrom(0, 1, 127, 128, 129, 16383, 16384).map((n) => new Uint8Array(n).fill(0xa5)),
        ),
        (tag, payload) => {
          const bytes = frame(tag, payload);
          expect(hex(bytes)).toBe(hex(referenceFrame(tag, payload)));
          const unframed = unframe(bytes, DEFAULT_LIMITS);
          expect(unframed.tag).toBe(tag);
          expect(unframed.payload.remaining).toBe(payload.length);
          expect(hex(payloadOf(bytes))).toBe(hex(payload));
          expect(unframed.payload.limits).toBe(DEFAULT_LIMITS);
        },
      ),
      runs(300),
    );
  });

  it('bounds the payload reader to the payload: the CRC bytes are not readable', () => {
    const { payload } = unframe(frame(0x05, Uint8Array.from([0x01, 0x02])), DEFAULT_LIMITS);
    expect(payload.u8()).toBe(0x01);
    expectDecodeError(() => payload.done(), 'trailing-bytes');
    expect(payload.u8()).toBe(0x02);
    payload.done();
    expectDecodeError(() => payload.u8(), 'truncated');
  });

  it('accepts a Buffer and a view with a non-zero offset into a larger buffer', () => {
    const bytes = frame(0x01, Uint8Array.from([9, 8, 7]));
    expect(unframe(Buffer.from(bytes), DEFAULT_LIMITS).tag).toBe(0x01);
    const backing = concat([0xff, 0xff, 0xff], bytes, [0xee]);
    const view = backing.subarray(3, 3 + bytes.length);
    const { payload } = unframe(view, DEFAULT_LIMITS);
    expect([payload.u8(), payload.u8(), payload.u8()]).toEqual([9, 8, 7]);
    payload.done();
  });
});

describe('unframe: the checks, in FORMAT.md order', () => {
  const sample = frame(0x07, Uint8Array.from([0x01, 0x01, 0x61, 0x00, 0x00, 0x00, 0x00]));

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'TD\u0001\u0002'],
    ['a number', 42],
    ['an array of byte values', Array.from(sample)],
    ['an ArrayBuffer', sample.slice().buffer],
    ['a DataView', new DataView(sample.slice().buffer)],
    ['an Int8Array', new Int8Array(sample.slice().buffer)],
    ['a Uint8ClampedArray', new Uint8ClampedArray(sample)],
    ['a Uint16Array', new Uint16Array(8)],
    ['an object', { bytes: sample }],
  ])('refuses %s: not a Uint8Array (invalid-value)', (_, input) => {
    expectDecodeError(() => unframe(input, DEFAULT_LIMITS), 'invalid-value');
  });

  it('refuses anything shorter than 9 bytes as truncated, before looking at the magic', () => {
    for (let length = 0; length < 9; length++) {
      expectDecodeError(() => unframe(sample.subarray(0, length), DEFAULT_LIMITS), 'truncated');
      expectDecodeError(() => unframe(new Uint8Array(length), DEFAULT_LIMITS), 'truncated');
    }
    // The smallest frame: an empty payload.
    const empty = frame(0x01, new Uint8Array(0));
    expect(empty.length).toBe(9);
    expect(unframe(empty, DEFAULT_LIMITS).payload.remaining).toBe(0);
  });

  it('refuses a bad magic before the version', () => {
    for (const [i, byte] of [[0, 0x55], [1, 0x45], [0, 0x00]] as const) {
      const bad = sample.slice();
      bad[i] = byte;
      bad[2] = 0x09;
      const e = expectDecodeError(() => unframe(bad, DEFAULT_LIMITS), 'bad-magic');
      expect(e.offset).toBe(0);
    }
    expectDecodeError(() => unframe(new Uint8Array(20), DEFAULT_LIMITS), 'bad-magic');
  });

  it('refuses an unsupported version before the length and the CRC', () => {
    for (const version of [0x00, 0x02, 0xff]) {
      const bad = sample.slice();
      bad[2] = version;
      bad[4] = 0x7f;
      const e = expectDecodeError(() => unframe(bad, DEFAULT_LIMITS), 'unsupported-version');
      expect(e.offset).toBe(2);
      expectDecodeError(() => unframe(referenceFrame(0x07, [1, 2, 3], version), DEFAULT_LIMITS), 'unsupported-version');
    }
  });

  it('refuses a payload length beyond the bytes present as truncated, before the CRC', () => {
    expectDecodeError(() => unframe(sample.subarray(0, sample.length - 1), DEFAULT_LIMITS), 'truncated');
    const longer = sample.slice();
    longer[4] = sample[4]! + 1;
    expectDecodeError(() => unframe(longer, DEFAULT_LIMITS), 'truncated');
    expectDecodeError(() => unframe(withFixedCrc(longer), DEFAULT_LIMITS), 'truncated');
    // A huge length in the header.
    const huge = concat([0x54, 0x44, 0x01, 0x07], leb128(2n ** 53n - 1n), [0, 0, 0, 0]);
    expectDecodeError(() => unframe(huge, DEFAULT_LIMITS), 'truncated');
  });

  it('refuses bytes after the frame as trailing-bytes, before the CRC', () => {
    for (const extra of [[0x00], [0xff, 0xff], Array.from({ length: 100 }, () => 0)]) {
      expectDecodeError(() => unframe(concat(sample, extra), DEFAULT_LIMITS), 'trailing-bytes');
    }
    const shorter = sample.slice();
    shorter[4] = sample[4]! - 1;
    expectDecodeError(() => unframe(shorter, DEFAULT_LIMITS), 'trailing-bytes');
    expectDecodeError(() => unframe(withFixedCrc(shorter), DEFAULT_LIMITS), 'trailing-bytes');
  });

  it('refuses a non-canonical or overflowing payload length', () => {
    const padded = concat([0x54, 0x44, 0x01, 0x07, 0x81, 0x00], [0x00], [0, 0, 0, 0]);
    expectDecodeError(() => unframe(withFixedCrc(padded), DEFAULT_LIMITS), 'non-canonical');
    const overflow = concat([0x54, 0x44, 0x01, 0x07], new Uint8Array(8).fill(0x80), [0x01], [0, 0, 0, 0]);
    expectDecodeError(() => unframe(overflow, DEFAULT_LIMITS), 'varint-overflow');
  });

  it('refuses a wrong CRC as checksum, at the CRC offset', () => {
    const bad = sample.slice();
    bad[bad.length - 1]! ^= 0x01;
    const e = expectDecodeError(() => unframe(bad, DEFAULT_LIMITS), 'checksum');
    expect(e.offset).toBe(sample.length - 4);
    const zeroCrc = sample.slice();
    zeroCrc.fill(0, zeroCrc.length - 4);
    expectDecodeError(() => unframe(zeroCrc, DEFAULT_LIMITS), 'checksum');
  });

  it('covers the type tag with the CRC', () => {
    const bad = sample.slice();
    bad[3] = 0x01;
    expectDecodeError(() => unframe(bad, DEFAULT_LIMITS), 'checksum');
    expect(unframe(withFixedCrc(bad), DEFAULT_LIMITS).tag).toBe(0x01);
  });

  it('refuses a frame larger than maxBytes as limit-exceeded, whatever it holds', () => {
    const limits = resolveLimits({ maxBytes: sample.length });
    expect(unframe(sample, limits).tag).toBe(0x07);
    const bigger = frame(0x07, new Uint8Array(8));
    expect(bigger.length).toBe(sample.length + 1);
    expectDecodeError(() => unframe(bigger, limits), 'limit-exceeded');
    // Checked before parsing anything: garbage of that size is refused the same way.
    expectDecodeError(() => unframe(new Uint8Array(sample.length + 1), limits), 'limit-exceeded');
    expectDecodeError(() => unframe(new Uint8Array(2 * DEFAULT_LIMITS.maxBytes / 1024), resolveLimits({ maxBytes: 1024 })), 'limit-exceeded');
  });

  it('produces errors that are DecodeErrors named DecodeError, with their code in the message', () => {
    const e = decodeErrorOf(() => unframe(new Uint8Array(3), DEFAULT_LIMITS));
    expect(e).toBeInstanceOf(DecodeError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DecodeError');
    expect(e.code).toBe('truncated');
    expect(String(e)).toMatch(/^DecodeError: truncated/);
  });
});

describe('unframe: corruption', () => {
  /** What each single-byte corruption must be reported as, by region of the frame. */
  function expectedCodes(bytes: Uint8Array, index: number): readonly DecodeErrorCode[] {
    const lengthBytes = leb128(BigInt(bytes.length - 4 - 4 - 1)).length === 1 ? 1 : 2;
    if (index < 2) return ['bad-magic'];
    if (index === 2) return ['unsupported-version'];
    if (index === 3 || index >= 4 + lengthBytes) return ['checksum'];
    return ['truncated', 'trailing-bytes', 'non-canonical', 'varint-overflow', 'checksum'];
  }

  const samples: [string, Uint8Array][] = [
    ['empty payload', frame(0x01, new Uint8Array(0))],
    ['PNCounter example', frame(0x02, bytesOf(PNCOUNTER_PAYLOAD))],
    ['AWSet example', frame(0x07, bytesOf(AWSET_PAYLOAD))],
    ['200-byte payload (two-byte length)', frame(0x0a, Uint8Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff))],
  ];

  it.each(samples)('refuses every single-byte change of the %s with the right DecodeError', (_, bytes) => {
    const exhaustive = bytes.length <= 30;
    const masks = exhaustive ? Array.from({ length: 255 }, (_, i) => i + 1) : [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff, 0x55, 0xaa];
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of masks) {
        const corrupted = bytes.slice();
        corrupted[i]! ^= mask;
        const e = decodeErrorOf(() => unframe(corrupted, DEFAULT_LIMITS));
        expect(expectedCodes(bytes, i), `byte ${i} ^ 0x${mask.toString(16)} gave ${e.code}`).toContain(e.code);
        expect(e.name).toBe('DecodeError');
      }
    }
  });

  it('refuses every truncation and every single inserted or deleted byte', () => {
    for (const [, bytes] of samples) {
      for (let cut = 0; cut < bytes.length; cut++) {
        decodeErrorOf(() => unframe(bytes.subarray(0, cut), DEFAULT_LIMITS));
        decodeErrorOf(() => unframe(concat(bytes.subarray(0, cut), bytes.subarray(cut + 1)), DEFAULT_LIMITS));
        decodeErrorOf(() => unframe(concat(bytes.subarray(0, cut), [0x00], bytes.subarray(cut)), DEFAULT_LIMITS));
      }
    }
  });

  it('never throws anything but a DecodeError, on random frames with random damage (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        (tag, payload, flips) => {
          const bytes = frame(tag, payload);
          const corrupted = bytes.slice();
          for (const [at, mask] of flips) corrupted[at % corrupted.length]! ^= mask;
          if (hex(corrupted) === hex(bytes)) return;
          decodeErrorOf(() => unframe(corrupted, DEFAULT_LIMITS));
        },
      ),
      runs(1000),
    );
  });

  it('never throws anything but a DecodeError on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }).map((b) => concat([0x54, 0x44, 0x01], b))),
        (bytes) => {
          try {
            unframe(bytes, DEFAULT_LIMITS);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
            return;
          }
          // Accepted only if it really is a frame: re-framing its payload reproduces it.
          expect(hex(frame(bytes[3]!, payloadOf(bytes)))).toBe(hex(bytes));
        },
      ),
      runs(1000),
    );
  });
});

