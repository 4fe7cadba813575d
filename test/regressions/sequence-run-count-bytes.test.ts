/**
 * Found by the Text adapter in test/crdt/convergence.test.ts (partition): the decoder
 * assumed at least 3 bytes per run and per deleted range before reading them, but a
 * run can take less (its replica and visibility columns are shared), so valid updates
 * with many short runs were refused as `length-out-of-range`.
 */
import { describe, expect, it } from 'vitest';
import { Text } from '../../src/index.js';

describe('updates with many small runs decode', () => {
  it('a text typed backwards, then deleted, loads from its whole state', () => {
    const c = new Text({ replica: 'c' });
    for (let i = 0; i < 100; i++) c.insert(0, 'x');
    c.delete(0, 100);
    const copy = new Text({ replica: 'f' });
    copy.apply(c.encode());
    expect(copy.version()).toEqual({ c: 200 });
    expect(copy.toString()).toBe('');
  });

  it('a delta listing deleted items by range (after learning a whole state)', () => {
    const c = new Text({ replica: 'c' });
    const b = new Text({ replica: 'b' });
    const d = new Text({ replica: 'd' });
    c.insert(0, 'a𝄞').insert(0, 'a😀').delete(0, 1).insert(2, 'a').delete(2, 2);
    d.apply(c.encode());
    b.insert(0, 'a');
    c.apply(b.encode());
    d.apply(c.encode(d.version()));
    expect(d.toString()).toBe(c.toString());
    expect(d.version()).toEqual(c.version());
  });
});
