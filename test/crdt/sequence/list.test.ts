/**
 * List items: JSON values, stored as frozen copies, compared by content, refused with a
 * TypeError when they are not JSON (all items of a call, or none); get, slice and
 * toArray read them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { List, type JsonValue } from '../../../src/index.js';
import { runs } from '../../helpers/property.js';

function isDeepFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(isDeepFrozen);
}

describe('List items', () => {
  it('are copies: changing what was inserted changes nothing in the list', () => {
    const list = new List<JsonValue>({ replica: 'a' });
    const item = { name: 'milk', tags: ['cold'] };
    const nested = [1, [2, 3]];
    list.insert(0, item, nested);
    item.name = 'eggs';
    item.tags.push('x');
    (nested[1] as number[]).push(4);
    expect(list.toArray()).toEqual([{ name: 'milk', tags: ['cold'] }, [1, [2, 3]]]);
  });

  it('are frozen, deeply, locally and after a merge', () => {
    const list = new List<JsonValue>({ replica: 'a' });
    list.insert(0, { a: { b: [1, { c: 2 }] } }, [[1]], 'text', 3, null, true);
    const remote = new List<JsonValue>({ replica: 'b' });
    remote.apply(list.encode());
    for (const l of [list, remote]) {
      for (let i = 0; i < l.length; i++) expect(isDeepFrozen(l.get(i))).toBe(true);
      expect(() => {
        (l.get(0) as { a: unknown }).a = 1;
      }).toThrow(TypeError);
    }
    expect(remote.toArray()).toEqual(list.toArray());
  });

  it('toArray and slice return new arrays: changing them changes nothing', () => {
    const list = new List<number>({ replica: 'a' }).insert(0, 1, 2, 3);
    const all = list.toArray();
    all.push(4);
    all[0] = 9;
    const part = list.slice(1);
    part.pop();
    expect(list.toArray()).toEqual([1, 2, 3]);
    expect(list.slice(1)).toEqual([2, 3]);
    expect(list.toArray()).not.toBe(list.toArray());
  });

  it('are JSON: objects compare by content whatever their key order; -0 is 0', () => {
    const list = new List<JsonValue>({ replica: 'a' });
    list.insert(0, { y: 1, x: 2 }, -0);
    const remote = new List<JsonValue>({ replica: 'b' });
    remote.apply(list.encode());
    expect(remote.get(0)).toEqual({ x: 2, y: 1 });
    expect(Object.is(list.get(1), 0)).toBe(true);
    expect(Object.is(remote.get(1), 0)).toBe(true);
    // '__proto__' is an ordinary key.
    const odd = JSON.parse('{"__proto__": {"polluted": true}}') as JsonValue;
    list.insert(0, odd);
    expect(Object.keys(list.get(0) as object)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('that are not JSON are a TypeError, and a call with one inserts none', () => {
    const list = new List<JsonValue>({ replica: 'a' }).insert(0, 1);
    const before = { items: list.toArray(), version: list.version() };
    class Point {
      x = 1;
    }
    const sparse: unknown[] = [];
    sparse[2] = 1;
    const bad: unknown[] = [undefined, () => 1, Symbol('s'), 10n, Number.NaN, Number.POSITIVE_INFINITY, new Date(0), new Map(), new Point(), sparse, { a: undefined }, '\ud800', { k: [Number.NaN] }];
    for (const item of bad) {
      expect(() => list.insert(1, 2, item as JsonValue)).toThrow(TypeError);
      expect({ items: list.toArray(), version: list.version() }).toEqual(before);
    }
  });

  it('a cyclic value passes the depth limit: a RangeError, inserting nothing', () => {
    const list = new List<JsonValue>({ replica: 'a' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => list.insert(0, cyclic as JsonValue)).toThrow(RangeError);
    expect(list.length).toBe(0);
    expect(list.version()).toEqual({});
  });

  it('get, slice, toArray and length agree after edits and merges', () => {
    const a = new List<string>({ replica: 'a' }).insert(0, 'a', 'b', 'c', 'd');
    const b = new List<string>({ replica: 'b' });
    b.apply(a.encode());
    a.insert(2, 'X', 'Y').delete(0, 1);
    b.delete(3, 1).insert(0, 'Z');
    a.apply(b.encode(a.version()));
    b.apply(a.encode(b.version()));
    const items = a.toArray();
    expect(b.toArray()).toEqual(items);
    expect(items).toHaveLength(a.length);
    expect(items).toEqual(['Z', 'b', 'X', 'Y', 'c']);
    for (let i = 0; i < items.length; i++) expect(a.get(i)).toBe(items[i]);
    for (let s = 0; s <= items.length; s++) for (let e = s; e <= items.length; e++) expect(b.slice(s, e)).toEqual(items.slice(s, e));
    expect(a.slice()).toEqual(items);
  });

  it('any JSON values survive the round trip through a whole state, a delta and the JSON twin exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 8 }), fc.nat(), (values, at) => {
        const list = new List<JsonValue>({ replica: 'a' }).insert(0, 'first');
        const peer = new List<JsonValue>({ replica: 'b' });
        peer.apply(list.encode());
        const since = list.version();
        list.insert(at % 2, ...(values as JsonValue[]));
        // JSON itself is the reference: it turns -0 into 0 and keeps every other value.
        const expected = JSON.parse(JSON.stringify(list.toArray())) as JsonValue[];
        expect(list.toArray()).toEqual(expected);
        peer.apply(list.encode(since));
        const fresh = new List<JsonValue>({ replica: 'c' });
        fresh.apply(list.encode());
        for (const copy of [peer, fresh]) {
          expect(copy.toArray()).toEqual(expected);
          expect(JSON.stringify(copy.toArray())).toBe(JSON.stringify(list.toArray()));
        }
      }),
      runs(100),
    );
  });

  it('inserting no items is a no-op: no event, no new version', () => {
    const list = new List<number>({ replica: 'a' });
    let events = 0;
    list.on('change', () => events++);
    list.insert(0);
    expect(events).toBe(0);
    expect(list.version()).toEqual({});
  });
});
