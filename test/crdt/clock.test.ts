import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AWSet, HybridLogicalClock, LamportClock, MAX_LOGICAL, MAX_WALL, VersionVector, compareTimestamps, compareVersions, createReplicaId, type Version } from '../../src/index.js';
import { runs } from '../helpers/property.js';

const version: fc.Arbitrary<Version> = fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__'), fc.nat(5), { maxKeys: 4 });
const vv = version.map((v) => VersionVector.from(v));

describe('VersionVector', () => {
  it('merge is a join: commutative, associative, idempotent, and an upper bound', () => {
    fc.assert(
      fc.property(vv, vv, vv, (x, y, z) => {
        const join = (p: VersionVector, q: VersionVector) => {
          const out = p.clone();
          out.merge(q);
          return out;
        };
        expect(join(x, y).toJSON()).toEqual(join(y, x).toJSON());
        expect(join(join(x, y), z).toJSON()).toEqual(join(x, join(y, z)).toJSON());
        expect(join(x, x).toJSON()).toEqual(x.toJSON());
        expect(join(x, y).covers(x) && join(x, y).covers(y)).toBe(true);
      }),
      runs(300),
    );
  });

  it('compare is consistent: antisymmetric, and equal exactly when the counters are', () => {
    const flip = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;
    fc.assert(
      fc.property(vv, vv, (x, y) => {
        expect(y.compare(x)).toBe(flip[x.compare(y)]);
        expect(x.compare(y) === 'equal').toBe(x.equals(y));
        const meet = x.meet(y);
        expect(x.covers(meet) && y.covers(meet)).toBe(true);
      }),
      runs(300),
    );
  });

  it('compareVersions works on JSON versions and validates them', () => {
    expect(compareVersions({ a: 1 }, { a: 2 })).toBe('before');
    expect(compareVersions({ a: 1, b: 0 }, { a: 1 })).toBe('equal');
    expect(compareVersions({ a: 2 }, { b: 1 })).toBe('concurrent');
    expect(() => compareVersions({ a: -1 }, {})).toThrow(TypeError);
    expect(() => compareVersions({ '': 1 }, {})).toThrow(RangeError);
    expect(JSON.stringify(VersionVector.from({ b: 1, a: 2 }).toJSON())).toBe('{"a":2,"b":1}');
    expect(VersionVector.from(JSON.parse('{"__proto__": 3}')).get('__proto__')).toBe(3);
  });
});

describe('LamportClock', () => {
  it('ticks past everything it observed', () => {
    const c = new LamportClock();
    expect(c.tick()).toBe(1);
    c.observe(10);
    expect(c.tick()).toBe(11);
    c.observe(3);
    expect(c.tick()).toBe(12);
    expect(() => c.observe(-1)).toThrow(RangeError);
  });
});

describe('HybridLogicalClock', () => {
  it('issues strictly increasing timestamps even when the physical clock goes back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 2, maxLength: 50 }), (readings) => {
        let i = 0;
        const hlc = new HybridLogicalClock({ replica: 'a', now: () => readings[i++ % readings.length]! });
        let last = hlc.now();
        for (let k = 1; k < readings.length; k++) {
          const next = hlc.now();
          expect(compareTimestamps(next, last)).toBeGreaterThan(0);
          last = next;
        }
      }),
      runs(200),
    );
  });

  it('after observing a far-future time, continues from it and reports the drift', () => {
    const hlc = new HybridLogicalClock({ replica: 'a', now: () => 1000 });
    hlc.observe(5000, 7);
    const t = hlc.now();
    expect(t).toEqual({ wall: 5000, logical: 8, replica: 'a' });
    expect(hlc.drift).toBe(4000);
    expect(() => new HybridLogicalClock({ replica: 'a', now: () => MAX_WALL + 1 }).now()).toThrow(RangeError);
  });

  it('rolls over to the next millisecond when the logical counter is full, and stops only at year 9999', () => {
    const hlc = new HybridLogicalClock({ replica: 'a', now: () => 1000 });
    hlc.observe(1000, MAX_LOGICAL);
    expect(hlc.now()).toEqual({ wall: 1001, logical: 0, replica: 'a' });
    const end = new HybridLogicalClock({ replica: 'a', now: () => 0 });
    end.observe(MAX_WALL, MAX_LOGICAL);
    expect(() => end.now()).toThrow(/year 9999/);
    expect(() => new HybridLogicalClock({ replica: 'a', now: 5 as unknown as () => number })).toThrow(TypeError);
  });
});

describe('createReplicaId', () => {
  it('makes valid, distinct, URL-safe ids', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => createReplicaId()));
    expect(ids.size).toBe(2000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(() => new AWSet({ replica: id })).not.toThrow();
    }
  });
});
