/**
 * Decoding limits (FORMAT.md section 6): resolution of partial limits, refusal of bad
 * ones, and the per-frame `maxItems` budget that every count is charged to.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  Reader,
  ReplicaTableReader,
  frame,
  readValue,
  resolveLimits,
  unframe,
  type DecodeLimits,
} from '../../src/codec/index.js';
import { expectDecodeError, leb128, readerOf } from './helpers.js';

describe('resolveLimits', () => {
  it('has the defaults of FORMAT.md section 6, frozen', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxBytes: 64 * 1024 * 1024,
      maxItems: 4_000_000,
      maxStringBytes: 16 * 1024 * 1024,
      maxDepth: 64,
      maxPending: 10_000,
      maxPendingBytes: 64 * 1024 * 1024,
    });
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });

  it('returns the defaults when nothing is given', () => {
    expect(resolveLimits(undefined)).toBe(DEFAULT_LIMITS);
    expect(resolveLimits({})).toEqual(DEFAULT_LIMITS);
  });

  it('overrides only the limits given, returns a frozen object and leaves the defaults alone', () => {
    const limits = resolveLimits({ maxItems: 1000, maxDepth: 3 });
    expect(limits).toEqual({ ...DEFAULT_LIMITS, maxItems: 1000, maxDepth: 3 });
    expect(Object.isFrozen(limits)).toBe(true);
    expect(DEFAULT_LIMITS.maxItems).toBe(4_000_000);
    expect(DEFAULT_LIMITS.maxDepth).toBe(64);
    expect(resolveLimits({ maxBytes: 1 }).maxBytes).toBe(1);
    expect(resolveLimits({ maxPending: Number.MAX_SAFE_INTEGER }).maxPending).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each<[string, unknown]>([
    ['an unknown key', { maxThings: 5 }],
    ['a misspelled key', { maxitems: 5 }],
    ['an inherited name', { toString: 5 }],
    ['an own __proto__ key', JSON.parse('{"__proto__": 5}')],
    ['zero', { maxItems: 0 }],
    ['a negative limit', { maxDepth: -1 }],
    ['a fractional limit', { maxStringBytes: 1.5 }],
    ['NaN', { maxBytes: NaN }],
    ['Infinity', { maxBytes: Infinity }],
    ['a limit above 2^53 - 1', { maxItems: 2 ** 53 }],
    ['a numeric string', { maxItems: '10' }],
    ['null as a limit', { maxItems: null }],
    ['a bigint', { maxItems: 10n }],
    ['null', null],
    ['a number', 5],
    ['a string', 'maxItems'],
  ])('refuses %s with a TypeError', (_, partial) => {
    // Deliberately ill-typed input, as a JavaScript caller could pass it.
    expect(() => resolveLimits(partial as unknown as Partial<DecodeLimits>)).toThrow(TypeError);
  });

  it('names the offending limit in the message', () => {
    expect(() => resolveLimits({ maxDepth: 0 })).toThrow(/maxDepth/);
    // Deliberately ill-typed: an unknown key, as a JavaScript caller could pass it.
    expect(() => resolveLimits({ maxThings: 1 } as unknown as Partial<DecodeLimits>)).toThrow(/maxThings/);
  });
});

describe('Reader.count and the maxItems budget', () => {
  const small = resolveLimits({ maxItems: 5 });

  it('returns a count that fits, and checks it against the bytes that remain first', () => {
    expect(readerOf([0x03, 0, 0, 0]).count()).toBe(3);
    expectDecodeError(() => readerOf([0x04, 0, 0, 0]).count(), 'length-out-of-range');
    expect(readerOf([0x02, 0, 0, 0, 0]).count(2)).toBe(2);
    expectDecodeError(() => readerOf([0x02, 0, 0, 0]).count(2), 'length-out-of-range');
    // More than remains and more than maxItems: the remaining bytes are checked first.
    expectDecodeError(() => readerOf([0x09, 0, 0], small).count(), 'length-out-of-range');
  });

  it('charges maxItems across every count of one reader', () => {
    const r = readerOf([0x03, 0x02, 0x00, 0x01, ...new Array<number>(10).fill(0)], small);
    expect(r.count()).toBe(3);
    expect(r.count()).toBe(2);
    // The budget of 5 is spent: a count of 0 still fits, a count of 1 does not.
    expect(r.count()).toBe(0);
    expectDecodeError(() => r.count(), 'limit-exceeded');
  });

  it('refuses two counts that together exceed the budget, though each alone fits', () => {
    const r = readerOf([0x03, 0x03, ...new Array<number>(10).fill(0)], small);
    expect(r.count()).toBe(3);
    expectDecodeError(() => r.count(), 'limit-exceeded');
  });

  it('charges explicit charges too, and allows exactly the budget', () => {
    const r = readerOf([0x02, 0, 0, 0], small);
    r.charge(3);
    expect(r.count()).toBe(2);
    expectDecodeError(() => r.charge(1), 'limit-exceeded');
    const single = readerOf([], small);
    single.charge(5);
    expectDecodeError(() => single.charge(1), 'limit-exceeded');
  });

  it('gives each reader (each frame) its own budget', () => {
    const a = readerOf([0x05, 0, 0, 0, 0, 0], small);
    const b = readerOf([0x05, 0, 0, 0, 0, 0], small);
    expect(a.count()).toBe(5);
    expect(b.count()).toBe(5);
  });

  it('charges nested collections of a value to one budget', () => {
    // [[null, null], [null]]: 2 + 2 + 1 = 5 items.
    const bytes = [0x06, 0x02, 0x06, 0x02, 0x00, 0x00, 0x06, 0x01, 0x00];
    expect(readValue(readerOf(bytes, small))).toEqual([[null, null], [null]]);
    expectDecodeError(() => readValue(readerOf(bytes, resolveLimits({ maxItems: 4 }))), 'limit-exceeded');
  });

  it('charges counts across the fields of a whole framed payload', () => {
    // A replica table of 2 entries and a value array of 3 items: 5 items in one frame.
    const payload = [0x02, 0x01, 0x61, 0x01, 0x62, 0x06, 0x03, 0x00, 0x00, 0x00];
    const bytes = frame(0x07, Uint8Array.from(payload));
    const ok = unframe(bytes, small).payload;
    new ReplicaTableReader(ok);
    readValue(ok);
    ok.done();
    const tight = unframe(bytes, resolveLimits({ maxItems: 4 })).payload;
    new ReplicaTableReader(tight);
    expectDecodeError(() => readValue(tight), 'limit-exceeded');
    // A fresh frame has a fresh budget.
    const again = unframe(bytes, small).payload;
    new ReplicaTableReader(again);
    expect(readValue(again)).toEqual([null, null, null]);
  });

  it('refuses a huge count before any allocation', () => {
    expectDecodeError(() => readerOf([...leb128(2n ** 53n - 1n), 0]).count(), 'length-out-of-range');
    const manyBytes = new Uint8Array(100);
    manyBytes[0] = 99;
    expectDecodeError(() => new Reader(manyBytes, resolveLimits({ maxItems: 98 })).count(), 'limit-exceeded');
  });
});
