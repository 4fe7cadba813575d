/**
 * CRC-32 (IEEE 802.3, FORMAT.md section 2): published check values, a bit-by-bit
 * reference, and node:zlib's implementation when the running Node has one.
 */
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/codec/index.js';
import { runs } from './helpers.js';

/** The textbook bit-at-a-time CRC-32: reflected polynomial 0xEDB88320, init and xorout 0xFFFFFFFF. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** node:zlib's CRC-32 (Node 20.15+, 22+), or undefined on older runtimes. */
const zlibCrc32: ((bytes: Uint8Array) => number) | undefined =
  typeof zlib.crc32 === 'function' ? (bytes) => zlib.crc32(bytes) : undefined;

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crc32', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['abc', 0x352441c2],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('crc32(%j) is the published check value', (text, expected) => {
    expect(crc32(ascii(text))).toBe(expected);
    expect(referenceCrc32(ascii(text))).toBe(expected);
  });

  it('matches known vectors for 32 zero bytes and 32 0xFF bytes', () => {
    expect(crc32(new Uint8Array(32))).toBe(0x190a55ad);
    expect(crc32(new Uint8Array(32).fill(0xff))).toBe(0xff6cab0b);
  });

  it('matches the bit-by-bit reference for every length 0..64 (around the 4-byte slices)', () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 167 + 13) & 0xff);
    for (let length = 0; length <= 64; length++) {
      const part = bytes.subarray(0, length);
      expect(crc32(part), `length ${length}`).toBe(referenceCrc32(part));
    }
  });

  it('matches the reference on random buffers and random [start, end) ranges (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }).chain((bytes) =>
          fc.tuple(
            fc.constant(bytes),
            fc.integer({ min: 0, max: bytes.length }),
            fc.integer({ min: 0, max: bytes.length }),
          ),
        ),
        ([bytes, a, b]) => {
          const start = Math.min(a, b);
          const end = Math.max(a, b);
          const expected = referenceCrc32(bytes.subarray(start, end));
          expect(crc32(bytes, start, end)).toBe(expected);
          expect(crc32(bytes.subarray(start, end))).toBe(expected);
          expect(crc32(bytes.slice(start, end))).toBe(expected);
        },
      ),
      runs(1000),
    );
  });

  it('ignores the offset of a view: a subarray hashes like a copy', () => {
    const backing = Uint8Array.from({ length: 103 }, (_, i) => (i * 31) & 0xff);
    for (let offset = 0; offset < 8; offset++) {
      const view = backing.subarray(offset, offset + 90);
      expect(crc32(view)).toBe(referenceCrc32(view.slice()));
    }
  });

  it('agrees with node:zlib (or, where zlib has no crc32, the reference) on random buffers (property)', () => {
    const other = zlibCrc32 ?? referenceCrc32;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(crc32(bytes)).toBe(other(bytes));
      }),
      runs(500),
    );
  });

  it('agrees with node:zlib (or the reference) on a 1 MiB buffer', () => {
    const big = new Uint8Array(1 << 20);
    let x = 0x12345678;
    for (let i = 0; i < big.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      big[i] = x >>> 24;
    }
    const expected = (zlibCrc32 ?? referenceCrc32)(big);
    expect(crc32(big)).toBe(expected);
    expect(crc32(big)).toBe(referenceCrc32(big));
  });

  it('always returns an unsigned 32-bit integer (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const c = crc32(bytes);
        expect(Number.isInteger(c)).toBe(true);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(0xffffffff);
      }),
      runs(500),
    );
  });

  it('has the CRC-32 residue: data followed by its little-endian CRC hashes to 0x2144DF1C (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const withCrc = new Uint8Array(bytes.length + 4);
        withCrc.set(bytes);
        new DataView(withCrc.buffer).setUint32(bytes.length, crc32(bytes), true);
        expect(crc32(withCrc)).toBe(0x2144df1c);
      }),
      runs(300),
    );
  });

  it('detects every single-bit flip of a sample buffer', () => {
    const bytes = ascii('Tandem frames are protected by CRC-32');
    const original = crc32(bytes);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const corrupted = bytes.slice();
        corrupted[i]! ^= 1 << bit;
        expect(crc32(corrupted), `byte ${i} bit ${bit}`).not.toBe(original);
      }
    }
  });
});
