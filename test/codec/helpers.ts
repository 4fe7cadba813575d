/**
 * Shared pieces of the codec tests: seeded fast-check parameters, a DecodeError
 * matcher, and independent reference encoders (written with BigInt, so they share no
 * code or arithmetic tricks with the implementation under test).
 */
import { expect } from 'vitest';
import { DEFAULT_LIMITS, DecodeError, Reader, Writer, type DecodeErrorCode, type DecodeLimits } from '../../src/codec/index.js';

/** The seed of every property in this folder; replay a failure with `FC_SEED=<seed>`. */
export const SEED = Number(process.env.FC_SEED ?? 42);

/** fast-check parameters: seeded so that a failure can be replayed. */
export function runs(numRuns: number): { seed: number; numRuns: number } {
  return { seed: SEED, numRuns };
}

/** Runs `fn` and returns the DecodeError it throws; fails on success or on any other exception. */
export function decodeErrorOf(fn: () => unknown): DecodeError {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw new Error(`expected a DecodeError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, {
      cause: e,
    });
  }
  throw new Error(`expected a DecodeError, but the call returned ${String(result)}`);
}

/** Asserts that `fn` throws a DecodeError with `code`, well formed as FORMAT.md section 7 says. */
export function expectDecodeError(fn: () => unknown, code: DecodeErrorCode): DecodeError {
  const e = decodeErrorOf(fn);
  expect(e.code).toBe(code);
  expect(e.name).toBe('DecodeError');
  expect(e).toBeInstanceOf(Error);
  expect(e.message.startsWith(code)).toBe(true);
  return e;
}

/** A reader over `bytes` (given as numbers for readability). */
export function readerOf(bytes: Uint8Array | readonly number[], limits: DecodeLimits = DEFAULT_LIMITS): Reader {
  return new Reader(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), limits);
}

/** The bytes a writer produces after `fill`. */
export function written(fill: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  fill(w);
  return w.finish();
}

/** Reference unsigned LEB128, any length, no canonical or range checks. */
export function leb128(n: bigint): number[] {
  if (n < 0n) throw new RangeError('leb128 of a negative number');
  const out: number[] = [];
  do {
    const group = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n > 0n ? group | 0x80 : group);
  } while (n > 0n);
  return out;
}

/** Reference zigzag: n ≥ 0 → 2n, n < 0 → 2|n| − 1. */
export function zigzag(n: bigint): bigint {
  return n >= 0n ? 2n * n : -2n * n - 1n;
}

/** Hex of bytes, for readable failure messages and map keys. */
export function hex(bytes: Uint8Array | readonly number[]): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Whether two byte sequences are identical (fast on large inputs, unlike comparing hex). */
export function sameBytes(a: Uint8Array | readonly number[], b: Uint8Array | readonly number[]): boolean {
  return Buffer.from(a instanceof Uint8Array ? a : Uint8Array.from(a)).equals(
    Buffer.from(b instanceof Uint8Array ? b : Uint8Array.from(b)),
  );
}

/** Concatenates byte arrays. */
export function concat(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The 8 little-endian bytes of a binary64. */
export function f64Bytes(x: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return Array.from(b);
}

/** UTF-8 bytes of a well-formed string. */
export function utf8(s: string): number[] {
  return Array.from(new TextEncoder().encode(s));
}
