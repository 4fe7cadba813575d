import { describe, expect, it } from 'vitest';
import { AWMap, AWSet, GCounter, LWWRegister, MAX_LOGICAL, fromJSON, toJSON } from '../../src/index.js';

/**
 * Found in review: one frame could disable every later local write. A timestamp with a
 * logical counter of 2^53 - 1 was accepted, and the hybrid logical clock then threw on
 * every `now()`; a frame whose context gave the receiver's own replica 2^53 - 1 events
 * made every later `add` throw. Logical counters past MAX_LOGICAL are now refused and
 * the clock rolls over to the next millisecond; a frame may not claim events of the
 * receiving replica beyond those it made (except while it has none: loading its state).
 */
describe('regression: frames that would exhaust a replica\'s clocks', () => {
  it('a logical counter past MAX_LOGICAL is refused; one at it leaves local writes working', () => {
    const writer = new LWWRegister<string>({ replica: 'm', now: () => 5000 });
    writer.set('x');
    const json = toJSON(writer.encode()) as { payload: { write: { logical: number } } };
    json.payload.write.logical = Number.MAX_SAFE_INTEGER;
    expect(() => fromJSON(json)).toThrow(expect.objectContaining({ code: 'invalid-value' }));
    json.payload.write.logical = MAX_LOGICAL;
    const r = new LWWRegister<string>({ replica: 'r', now: () => 5000 });
    r.apply(fromJSON(json));
    r.set('mine');
    expect(r.get()).toBe('mine');
    const other = new LWWRegister<string>({ replica: 'o', now: () => 0 });
    other.apply(fromJSON(json));
    other.apply(r.encode());
    expect(other.get()).toBe('mine');

    const map = new AWMap<number>({ replica: 'r', now: () => 5000 });
    map.set('k', 1);
    const forged = toJSON(map.encode()) as { payload: { context: Record<string, number>; entries: { replica: string; logical: number }[] } };
    forged.payload.context = { m: 1, r: 1 };
    forged.payload.entries = [{ ...forged.payload.entries[0]!, replica: 'm', logical: MAX_LOGICAL }];
    map.apply(fromJSON(forged));
    map.set('k', 2);
    expect(map.get('k')).toBe(2);
  });

  it('a frame claiming more of the receiver\'s own events than it made is refused', () => {
    const alice = new AWSet<string>({ replica: 'alice' });
    alice.add('x');
    const forged = fromJSON({
      format: 'tandem',
      version: 1,
      type: 'aw-set',
      payload: { context: { alice: Number.MAX_SAFE_INTEGER }, base: {}, dead: {}, entries: [] },
    });
    const before = Buffer.from(alice.encode()).toString('hex');
    expect(() => alice.apply(forged)).toThrow(expect.objectContaining({ code: 'invalid-value' }));
    expect(Buffer.from(alice.encode()).toString('hex')).toBe(before);
    alice.add('y');
    expect(alice.values()).toEqual(['x', 'y']);

    const counter = new GCounter({ replica: 'alice' });
    counter.increment();
    const bogus = fromJSON({ format: 'tandem', version: 1, type: 'gcounter', payload: { entries: [{ replica: 'alice', p: 2 ** 52 }] } });
    expect(() => counter.apply(bogus)).toThrow(expect.objectContaining({ code: 'invalid-value' }));
    expect(counter.value).toBe(1);
  });

  it('a replica restoring its own saved state may load it, and goes on from there', () => {
    const first = new AWSet<string>({ replica: 'alice' });
    first.add('x');
    first.add('y');
    const saved = first.encode();
    const restored = new AWSet<string>({ replica: 'alice' });
    restored.apply(saved);
    restored.add('z');
    expect(restored.version()).toEqual({ alice: 3 });
    expect(restored.values()).toEqual(['x', 'y', 'z']);
  });
});
