import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_KEY_LENGTH, isOrderKey, keyBetween, rekey, spreadKeys } from '../../demo/src/order-key.js';
import { runs } from '../helpers/property.js';

describe('demo todos: order keys', () => {
  it('keyBetween gives a well-formed key strictly between its bounds, wherever it inserts', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 120 }), (places) => {
        const keys = [keyBetween(null, null)];
        for (const place of places) {
          const at = place % (keys.length + 1);
          const key = keyBetween(keys[at - 1] ?? null, keys[at] ?? null);
          expect(isOrderKey(key)).toBe(true);
          if (at > 0) expect(keys[at - 1]! < key).toBe(true);
          if (at < keys.length) expect(key < keys[at]!).toBe(true);
          keys.splice(at, 0, key);
        }
      }),
      runs(200),
    );
  });

  it('keyBetween refuses bounds in the wrong order or that are not keys', () => {
    expect(() => keyBetween('b', 'a')).toThrow(RangeError);
    expect(() => keyBetween('a', 'a')).toThrow(/no key between/);
    expect(() => keyBetween('a0', null)).toThrow(/not an order key/);
    expect(() => keyBetween(null, 'A')).toThrow(/not an order key/);
  });

  it('rekey makes any list of keys strictly increasing and always rekeys the moved item', () => {
    const anyKey = fc.oneof(fc.constantFrom('a', 'b', 'i', 'i', 'x0', ''), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(anyKey, { maxLength: 12 }), fc.integer({ min: -1, max: 12 }), (keys, moved) => {
        const changes = rekey(keys, moved);
        const result = keys.map((key, i) => changes.get(i) ?? key);
        for (let i = 0; i < result.length; i++) {
          expect(isOrderKey(result[i])).toBe(true);
          if (i > 0) expect(result[i - 1]! < result[i]!).toBe(true);
        }
        if (moved >= 0 && moved < keys.length) expect(changes.has(moved)).toBe(true);
      }),
      runs(300),
    );
  });

  it('rekey rewrites only the moved item when its neighbours leave room', () => {
    expect([...rekey(['a', 'c', 'b', 'd'], 2).keys()]).toEqual([2]);
    // Two items moved to the same place at once share a key: the tie is rewritten too.
    expect([...rekey(['a', 'i', 'i', 'z'], 1).keys()]).toEqual([1]);
    expect([...rekey(['a', 'i', 'i', 'z'], 3).keys()].sort()).toEqual([2, 3]);
  });
});

describe('demo todos: order keys over a long life', () => {
  it('keyBetween refuses a key longer than MAX_KEY_LENGTH instead of returning one isOrderKey rejects', () => {
    const longest = 'z'.repeat(MAX_KEY_LENGTH);
    expect(isOrderKey(longest)).toBe(true);
    expect(() => keyBetween(longest, null)).toThrow(/rekey the list/);
  });

  it('adding at the end or moving to the top thousands of times keeps every key valid and the order exact', () => {
    for (const end of ['top', 'bottom'] as const) {
      // The list as its keys, in the order wanted; each step adds one item at one end.
      let keys: string[] = [];
      let spreads = 0;
      for (let step = 0; step < 2000; step++) {
        const wanted: (string | null)[] = end === 'bottom' ? [...keys, null] : [null, ...keys];
        const moved = end === 'bottom' ? keys.length : 0;
        const changes = rekey(wanted, moved);
        if (changes.size > 1) spreads++;
        keys = wanted.map((key, i) => changes.get(i) ?? (key as string));
      }
      for (let i = 0; i < keys.length; i++) {
        expect(isOrderKey(keys[i])).toBe(true);
        if (i > 0) expect(keys[i - 1]! < keys[i]!).toBe(true);
      }
      // Spread out again a few times, not at every step.
      expect(spreads).toBeGreaterThan(0);
      expect(spreads).toBeLessThan(10);
    }
  });

  it('spreadKeys gives short increasing keys', () => {
    const keys = spreadKeys(5000);
    expect(keys).toHaveLength(5000);
    for (let i = 0; i < keys.length; i++) {
      expect(isOrderKey(keys[i])).toBe(true);
      if (i > 0) expect(keys[i - 1]! < keys[i]!).toBe(true);
    }
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(4);
  });
});
