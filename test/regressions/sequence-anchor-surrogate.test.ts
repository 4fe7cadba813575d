/**
 * Found writing test/crdt/sequence/ranges.test.ts: Text.anchor took an index inside a
 * surrogate pair and bound the anchor to half a character, where every other index of
 * Text refuses to split one.
 */
import { describe, expect, it } from 'vitest';
import { Text } from '../../src/index.js';

describe('Text.anchor refuses an index inside a surrogate pair', () => {
  it('before and after', () => {
    const t = new Text({ replica: 'a' });
    t.insert(0, 'a😀b');
    expect(() => t.anchor(2, 'before')).toThrow(RangeError);
    expect(() => t.anchor(2, 'after')).toThrow(RangeError);
    expect(t.resolve(t.anchor(1, 'after'))).toBe(1);
    expect(t.resolve(t.anchor(3, 'before'))).toBe(3);
  });
});
