import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AWMap,
  AWSet,
  DecodeError,
  GCounter,
  GSet,
  LWWMap,
  LWWRegister,
  MVRegister,
  PNCounter,
  RWSet,
  TwoPhaseSet,
  fromJSON,
  toJSON,
  type Replicated,
} from '../../src/index.js';
import { runs } from '../helpers/property.js';

/** Sends everything each replica has to every other. */
function sync(...rs: Replicated[]): void {
  for (let round = 0; round < 2; round++) for (const a of rs) for (const b of rs) if (a !== b) b.apply(a.encode(b.version()));
}

const MAX = Number.MAX_SAFE_INTEGER;

describe('counters', () => {
  it('after any interleaving, the value is the sum of every increment minus every decrement', () => {
    const op = fc.tuple(fc.nat(2), fc.boolean(), fc.nat(1000));
    fc.assert(
      fc.property(fc.array(fc.oneof(op, fc.constant('sync' as const)), { maxLength: 50 }), (ops) => {
        const rs = [0, 1, 2].map((i) => new PNCounter({ replica: `r${i}` }));
        let expected = 0;
        for (const o of ops) {
          if (o === 'sync') sync(rs[0]!, rs[1]!);
          else if (o[1]) (rs[o[0]]!.increment(o[2]), (expected += o[2]));
          else (rs[o[0]]!.decrement(o[2]), (expected -= o[2]));
        }
        sync(...rs);
        for (const r of rs) expect(r.value).toBe(expected);
      }),
      runs(100),
    );
  });

  it('refuses amounts that are not safe integers ≥ 0, with the rule in the message', () => {
    const c = new PNCounter({ replica: 'a' });
    expect(() => c.increment(-1)).toThrow(/safe integer ≥ 0/);
    expect(() => c.increment(1.5)).toThrow(RangeError);
    expect(() => c.decrement(Number.NaN)).toThrow(RangeError);
    expect(() => c.increment(2 ** 53)).toThrow(RangeError);
    expect(() => c.increment('1' as unknown as number)).toThrow(TypeError);
    expect(c.value).toBe(0);
    expect(c.version()).toEqual({});
  });

  it('refuses to leave the safe integer range, locally and on receive, and stays unchanged', () => {
    const a = new GCounter({ replica: 'a' });
    a.increment(MAX - 10);
    expect(() => a.increment(11)).toThrow(RangeError);
    expect(a.value).toBe(MAX - 10);
    const b = new GCounter({ replica: 'b' });
    b.increment(11);
    const before = Buffer.from(a.encode()).toString('hex');
    expect(() => a.apply(b.encode())).toThrow(expect.objectContaining({ code: 'invalid-value' }));
    expect(Buffer.from(a.encode()).toString('hex')).toBe(before);
  });

  it("refuses an update whose counts for a replica contradict what it already has", () => {
    const a = new PNCounter({ replica: 'a' });
    a.increment(5);
    const observer = new PNCounter({ replica: 'o' });
    observer.apply(a.encode());
    // p went down while p + n went up: no honest history produces that.
    const forged = fromJSON({ format: 'tandem', version: 1, type: 'pncounter', payload: { entries: [{ replica: 'a', p: 4, n: 3 }] } });
    expect(() => observer.apply(forged)).toThrow(DecodeError);
    expect(observer.value).toBe(5);
  });
});

describe('registers', () => {
  it('LWWRegister: a later write wins, and equal timestamps fall to the greater replica id', () => {
    const a = new LWWRegister<string>({ replica: 'a', now: () => 1000 });
    const b = new LWWRegister<string>({ replica: 'b', now: () => 1000 });
    a.set('from a');
    b.set('from b');
    sync(a, b);
    expect(a.get()).toBe('from b');
    expect(b.get()).toBe('from b');
    a.set('later');
    sync(a, b);
    expect(b.get()).toBe('later');
  });

  it('LWWRegister: a value from the far future is accepted, and a write made after seeing it still wins', () => {
    let now = 1_700_000_000_000;
    const skewed = new LWWRegister<string>({ replica: 'skewed', now: () => now + 10 * 365 * 86_400_000 });
    const honest = new LWWRegister<string>({ replica: 'honest', now: () => now });
    skewed.set('from 2033');
    honest.apply(skewed.encode());
    expect(honest.get()).toBe('from 2033');
    honest.set('fixed');
    now += 1;
    skewed.apply(honest.encode());
    expect(skewed.get()).toBe('fixed');
    // Wall times past year 9999 are corrupt on every replica alike.
    const json = toJSON(honest.encode()) as { payload: { write: { wall: number } } };
    json.payload.write.wall = 253_402_300_800_000;
    expect(() => fromJSON(json)).toThrow(expect.objectContaining({ code: 'invalid-value' }));
  });

  it('MVRegister keeps concurrent values until a write that saw them', () => {
    const a = new MVRegister<string>({ replica: 'a' });
    const b = new MVRegister<string>({ replica: 'b' });
    a.set('red');
    b.set('blue');
    sync(a, b);
    expect(a.values()).toEqual(['red', 'blue']);
    expect(b.values()).toEqual(['red', 'blue']);
    b.set('purple');
    sync(a, b);
    expect(a.values()).toEqual(['purple']);
  });
});

describe('sets', () => {
  it('GSet holds every element any replica added', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.integer({ min: 0, max: 20 }))), (adds) => {
        const rs = [0, 1, 2].map((i) => new GSet<number>({ replica: `r${i}` }));
        for (const [i, v] of adds) rs[i]!.add(v);
        sync(...rs);
        const expected = [...new Set(adds.map(([, v]) => v))].sort((x, y) => String(x).localeCompare(String(y)));
        for (const r of rs) expect([...r.values()].sort((x, y) => String(x).localeCompare(String(y)))).toEqual(expected);
      }),
      runs(100),
    );
  });

  it('TwoPhaseSet: a removal is final, wins over a concurrent add, and a re-add throws', () => {
    const a = new TwoPhaseSet<string>({ replica: 'a' });
    const b = new TwoPhaseSet<string>({ replica: 'b' });
    a.add('x');
    sync(a, b);
    a.delete('x');
    b.add('y');
    sync(a, b);
    expect(b.has('x')).toBe(false);
    expect(b.wasRemoved('x')).toBe(true);
    expect(() => b.add('x')).toThrow(RangeError);
    expect(b.values()).toEqual(['y']);
  });

  it('AWSet: an add the deleter had not seen survives the delete (add wins)', () => {
    const a = new AWSet<string>({ replica: 'a' });
    const b = new AWSet<string>({ replica: 'b' });
    a.add('x');
    sync(a, b);
    b.delete('x');
    a.delete('x');
    a.add('x');
    sync(a, b);
    expect(a.has('x')).toBe(true);
    expect(b.has('x')).toBe(true);
  });

  it('RWSet: the same race ends with the element removed (remove wins), and a later add restores it', () => {
    const a = new RWSet<string>({ replica: 'a' });
    const b = new RWSet<string>({ replica: 'b' });
    a.add('x');
    sync(a, b);
    b.delete('x');
    a.delete('x');
    a.add('x');
    sync(a, b);
    expect(a.has('x')).toBe(false);
    expect(b.has('x')).toBe(false);
    b.add('x');
    sync(a, b);
    expect(a.has('x')).toBe(true);
  });

  it('AWSet leaves no tombstones: 1,000 adds and deletes encode to a version vector alone', () => {
    const a = new AWSet<number>({ replica: 'a' });
    const b = new AWSet<number>({ replica: 'b' });
    for (let i = 0; i < 1000; i++) a.add(i);
    sync(a, b);
    for (let i = 0; i < 1000; i++) b.delete(i);
    sync(a, b);
    expect(a.size).toBe(0);
    // header 5 + replica table 5 + context 7 + empty base, dead and entries 3 + CRC 4
    expect(a.encode().length).toBe(24);
    expect(toJSON(a.encode()).payload).toEqual({ context: { a: 1000, b: 1000 }, base: {}, dead: {}, entries: [] });
  });

  it('elements compare by JSON content and are stored as frozen copies', () => {
    const s = new AWSet({ replica: 'a' });
    const input = { b: [1, 2], a: 'x' };
    s.add(input);
    expect(s.has({ a: 'x', b: [1, 2] })).toBe(true);
    s.add({ a: 'x', b: [1, 2] });
    expect(s.size).toBe(1);
    input.a = 'changed';
    const [stored] = s.values() as [{ a: string }];
    expect(stored.a).toBe('x');
    expect(Object.isFrozen(stored)).toBe(true);
    expect(s.has('1')).toBe(false);
    s.add(1);
    expect(s.has('1')).toBe(false);
  });

  it('refuses values that are not JSON, leaving the set unchanged', () => {
    const s = new AWSet({ replica: 'a' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, Number.NaN, Infinity, () => 1, Symbol('s'), 1n, new Date(0), new Map(), '\ud800']) {
      expect(() => s.add(bad as never)).toThrow(TypeError);
    }
    expect(() => s.add(cyclic as never)).toThrow(RangeError);
    expect(s.size).toBe(0);
    expect(s.version()).toEqual({});
  });
});

describe('maps', () => {
  it('__proto__, constructor and prototype are ordinary keys, and nothing is polluted', () => {
    for (const Map of [LWWMap, AWMap]) {
      const a = new Map({ replica: 'a' });
      a.set('__proto__', { polluted: true });
      a.set('constructor', 1);
      a.set('prototype', 2);
      const b = new Map({ replica: 'b' });
      b.apply(a.encode());
      expect(b.entries()).toEqual([
        ['__proto__', { polluted: true }],
        ['constructor', 1],
        ['prototype', 2],
      ]);
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
      const json = toJSON(b.encode());
      expect(fromJSON(JSON.parse(JSON.stringify(json)))).toEqual(b.encode());
    }
  });

  it('a set concurrent with a delete: AWMap keeps the key, LWWMap takes the later write', () => {
    let t = 1000;
    const now = () => t++;
    const aw = [new AWMap<number>({ replica: 'a', now }), new AWMap<number>({ replica: 'b', now })] as const;
    const lww = [new LWWMap<number>({ replica: 'a', now }), new LWWMap<number>({ replica: 'b', now })] as const;
    for (const [a, b] of [aw, lww]) {
      a.set('k', 1);
      sync(a, b);
      a.set('k', 2);
      b.delete('k');
      sync(a, b);
    }
    expect(aw[0].get('k')).toBe(2);
    expect(aw[1].get('k')).toBe(2);
    expect(lww[0].has('k')).toBe(false);
    expect(lww[1].has('k')).toBe(false);
  });

  it('AWMap: of concurrent sets of a key, the later timestamp gives the value, whatever the delivery order', () => {
    for (const [wallA, wallB, expected] of [
      [1000, 2000, 'from b'],
      [3000, 2000, 'from a'],
    ] as const) {
      const a = new AWMap<string>({ replica: 'a', now: () => wallA });
      const b = new AWMap<string>({ replica: 'b', now: () => wallB });
      const c = new AWMap<string>({ replica: 'c', now: () => 0 });
      a.set('k', 'from a');
      b.set('k', 'from b');
      c.apply(b.encode());
      c.apply(a.encode());
      sync(a, b);
      for (const r of [a, b, c]) expect(r.get('k')).toBe(expected);
      // A later set that saw both resolves them into one entry.
      c.set('k', 'resolved');
      sync(a, b, c);
      for (const r of [a, b, c]) expect(r.entries()).toEqual([['k', 'resolved']]);
    }
  });

  it('AWMap: with many concurrent writes to one key, arriving in any order, the greatest timestamp wins', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.nat(5)), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (writes, order) => {
          // Each write is made by its own replica, at its own wall time.
          const updates = writes.map(([wall, value], i) => {
            const r = new AWMap<number>({ replica: `w${String(i).padStart(2, '0')}`, now: () => wall });
            r.set('k', value);
            return r.encode();
          });
          const observer = new AWMap<number>({ replica: 'observer', now: () => 0 });
          const seen = new Set<number>();
          for (const pick of [...order, ...updates.keys()]) {
            const i = pick % updates.length;
            observer.apply(updates[i]!);
            seen.add(i);
            // The winner among the writes seen so far: greatest (wall, logical, replica).
            let best = -1;
            for (const j of seen) if (best === -1 || writes[j]![0] > writes[best]![0] || (writes[j]![0] === writes[best]![0] && j > best)) best = j;
            expect(observer.get('k')).toBe(writes[best]![1]);
          }
        },
      ),
      runs(200),
    );
  });

  it('refuses non-string keys with a TypeError', () => {
    const m = new LWWMap({ replica: 'a' });
    expect(() => m.set(1 as unknown as string, 1)).toThrow(TypeError);
    expect(() => m.delete('\udc00')).toThrow(TypeError);
  });
});

describe('every type', () => {
  it('refuses invalid replica ids and since arguments', () => {
    expect(() => new AWSet({ replica: '' })).toThrow(RangeError);
    expect(() => new AWSet({ replica: 'x'.repeat(65) })).toThrow(RangeError);
    expect(() => new AWSet({ replica: 5 as unknown as string })).toThrow(TypeError);
    expect(() => new AWSet(undefined as unknown as { replica: string })).toThrow(TypeError);
    expect(() => new AWSet({ replica: 'a', limits: { maxItems: 0 } })).toThrow(TypeError);
    const s = new AWSet({ replica: 'a' });
    expect(() => s.encode({ b: -1 })).toThrow(TypeError);
    expect(() => s.encode({ b: 1.5 })).toThrow(TypeError);
    expect(() => s.encode([] as unknown as Record<string, number>)).toThrow(TypeError);
  });

  it('checks a held update at once, holds a retransmitted copy once, and bounds the bytes held', () => {
    const a = new LWWMap<number>({ replica: 'a', now: () => 1000 });
    a.set('x', 1);
    a.set('y', 2);
    const delta = a.encode({ a: 1 });
    const waiting = new LWWMap<number>({ replica: 'w' });
    waiting.apply(delta);
    waiting.apply(delta);
    expect(waiting.pending).toBe(1);
    const json = toJSON(delta) as { payload: { entries: { key: string }[]; version: Record<string, number> } };
    json.payload.version = { a: 3 };
    json.payload.entries.push({ ...json.payload.entries[0]!, key: 'y', counter: 3 } as { key: string });
    expect(() => waiting.apply(fromJSON(json))).toThrow(expect.objectContaining({ code: 'invalid-value' }));
    expect(waiting.pending).toBe(1);
    const tight = new LWWMap<number>({ replica: 't', limits: { maxPendingBytes: delta.length } });
    tight.apply(delta);
    a.set('z', 3);
    expect(() => tight.apply(a.encode({ a: 1 }))).toThrow(expect.objectContaining({ code: 'limit-exceeded' }));
    expect(tight.pending).toBe(1);
    tight.apply(a.encode());
    expect(tight.pending).toBe(0);
    expect(tight.entries()).toEqual([['x', 1], ['y', 2], ['z', 3]]);
  });

  it('local methods refuse what a replica with the same limits would refuse to receive', () => {
    const limits = { maxStringBytes: 8, maxItems: 4 };
    const map = new LWWMap({ replica: 'a', limits });
    expect(() => map.set('k', 'x'.repeat(9))).toThrow(RangeError);
    expect(() => map.set('k'.repeat(9), 1)).toThrow(RangeError);
    expect(() => map.set('k', [1, 2, 3, 4, 5])).toThrow(RangeError);
    expect(() => map.set('k', { a: [1, 2], b: [3] })).toThrow(RangeError);
    expect(() => map.get(1 as unknown as string)).toThrow(TypeError);
    map.set('k', 'é'.repeat(4));
    expect(() => map.set('k', 'é'.repeat(5))).toThrow(RangeError);
    const peer = new LWWMap({ replica: 'b', limits });
    peer.apply(map.encode());
    expect(peer.get('k')).toBe('é'.repeat(4));
    expect(() => new AWSet({ replica: 'a', limits: { maxDepth: 5000 } })).toThrow(TypeError);
  });

  it('holds at most maxPending updates that wait for earlier ones', () => {
    const a = new AWSet<number>({ replica: 'a' });
    const b = new AWSet<number>({ replica: 'b', limits: { maxPending: 1 } });
    a.add(1);
    const first = a.encode();
    a.add(2);
    const d1 = a.encode({ a: 1 });
    a.add(3);
    const d2 = a.encode({ a: 2 });
    b.apply(d1);
    expect(b.pending).toBe(1);
    expect(() => b.apply(d2)).toThrow(expect.objectContaining({ code: 'limit-exceeded' }));
    b.apply(first);
    expect(b.pending).toBe(0);
    expect(b.values()).toEqual([1, 2]);
  });
});

describe('frames that name a key or element twice', () => {
  const frames = {
    map: fromJSON({
      format: 'tandem',
      version: 1,
      type: 'lww-map',
      payload: {
        version: { a: 2 },
        base: {},
        entries: [
          { key: 'k', replica: 'a', counter: 1, wall: 5, logical: 0, value: 1 },
          { key: 'k', replica: 'a', counter: 2, wall: 6, logical: 0, value: 2 },
        ],
      },
    }),
    set: fromJSON({
      format: 'tandem',
      version: 1,
      type: '2p-set',
      payload: {
        version: { a: 2 },
        base: {},
        added: [{ replica: 'a', counter: 1, value: 'x' }],
        removed: [{ replica: 'a', counter: 2, value: 'x' }],
      },
    }),
  };

  it('are refused by a fresh replica and by one with state, which stay as they were', () => {
    const cases: [() => Replicated, Uint8Array][] = [
      [() => new LWWMap({ replica: 'b' }), frames.map],
      [() => new LWWMap({ replica: 'b' }).set('other', 1), frames.map],
      [() => new TwoPhaseSet({ replica: 'b' }), frames.set],
      [() => new TwoPhaseSet({ replica: 'b' }).add('other'), frames.set],
    ];
    for (const [make, frame] of cases) {
      const r = make();
      const before = Buffer.from(r.encode()).toString('hex');
      expect(() => r.apply(frame)).toThrow(expect.objectContaining({ code: 'invalid-value' }));
      expect(Buffer.from(r.encode()).toString('hex')).toBe(before);
    }
  });
});
