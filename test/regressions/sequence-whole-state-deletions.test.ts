/**
 * Found by the Text/List adapters in test/crdt/convergence.test.ts: a whole state marks
 * deleted items in its runs, and a replica that already had those items skipped the runs
 * without deleting them, while still merging the version (so no later delta repaired it).
 */
import { describe, expect, it } from 'vitest';
import { List, Text } from '../../src/index.js';

describe('a whole state deletes items the receiver already has', () => {
  it('Text', () => {
    const a = new Text({ replica: 'a' });
    const c = new Text({ replica: 'c' });
    c.insert(0, 'xyz');
    a.apply(c.encode());
    c.delete(1, 1);
    a.apply(c.encode());
    expect(a.toString()).toBe('xz');
    expect(Buffer.from(a.encode()).equals(Buffer.from(c.encode()))).toBe(true);
  });

  it('List, when the deleted items are part of a longer known run', () => {
    const a = new List<number>({ replica: 'a' });
    const c = new List<number>({ replica: 'c' });
    c.insert(0, 1, 2, 3, 4);
    a.apply(c.encode());
    c.insert(4, 5);
    c.delete(0, 2);
    a.apply(c.encode());
    expect(a.toArray()).toEqual([3, 4, 5]);
    expect(a.version()).toEqual(c.version());
  });
});
