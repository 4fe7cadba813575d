import { describe, expect, it } from 'vitest';
import { GSet, LWWMap, LWWRegister, TwoPhaseSet, fromJSON, toJSON, type Replicated } from '../../src/index.js';

/**
 * Found by the long robustness run (`npm run test:long`, seed 500947): a well-formed
 * frame, checksum and all, claimed that an event the GSet had already seen, (a, 1), added
 * a different element. The set took it and gave two elements the same dot, after which
 * its own encoding was refused everywhere as non-canonical. A frame that contradicts what
 * a replica has seen must be refused, leaving the replica as it was.
 */
function expectRefused(target: Replicated, forged: Uint8Array): void {
  const before = Buffer.from(target.encode()).toString('hex');
  expect(() => target.apply(forged)).toThrow(expect.objectContaining({ name: 'DecodeError', code: 'invalid-value' }));
  expect(Buffer.from(target.encode()).toString('hex')).toBe(before);
}

describe('regression: frames that rewrite history the replica has seen', () => {
  it('GSet: a seen event said to add another element', () => {
    const target = new GSet<string>({ replica: 'b' });
    const a = new GSet<string>({ replica: 'a' });
    a.add('x');
    target.apply(a.encode());
    const json = toJSON(a.encode()) as { payload: { added: { value: string }[] } };
    json.payload.added[0]!.value = 'y';
    expectRefused(target, fromJSON(json));
    // The forged frame is acceptable to a replica that never saw (a, 1): it is well-formed.
    expect(() => new GSet({ replica: 'c' }).apply(fromJSON(json))).not.toThrow();
  });

  it('TwoPhaseSet: one frame that both adds and removes under the same event', () => {
    const json = {
      format: 'tandem',
      version: 1,
      type: '2p-set',
      payload: {
        version: { a: 1 },
        base: {},
        added: [{ replica: 'a', counter: 1, value: 'x' }],
        removed: [{ replica: 'a', counter: 1, value: 'y' }],
      },
    };
    expect(() => fromJSON(json)).toThrow(expect.objectContaining({ code: 'invalid-value' }));
    const target = new TwoPhaseSet({ replica: 'b' });
    const a = new TwoPhaseSet<string>({ replica: 'a' });
    a.add('x');
    a.delete('x');
    target.apply(a.encode());
    const forged = toJSON(a.encode()) as { payload: { removed: { value: string }[] } };
    forged.payload.removed[0]!.value = 'z';
    expectRefused(target, fromJSON(forged));
  });

  it('LWWMap and LWWRegister: a seen event said to be a newer write', () => {
    const a = new LWWMap<number>({ replica: 'a', now: () => 1000 });
    a.set('k', 1);
    const target = new LWWMap<number>({ replica: 'b', now: () => 1000 });
    target.apply(a.encode());
    const json = toJSON(a.encode()) as { payload: { entries: { key: string; wall: number }[] } };
    json.payload.entries[0]!.key = 'other';
    expectRefused(target, fromJSON(json));
    const newer = toJSON(a.encode()) as { payload: { entries: { wall: number; value: number }[] } };
    newer.payload.entries[0]!.wall = 2000;
    newer.payload.entries[0]!.value = 2;
    expectRefused(target, fromJSON(newer));

    const r = new LWWRegister<number>({ replica: 'a', now: () => 1000 });
    r.set(1);
    const reg = new LWWRegister<number>({ replica: 'b', now: () => 1000 });
    reg.apply(r.encode());
    const forged = toJSON(r.encode()) as { payload: { write: { wall: number; value: number } } };
    forged.payload.write.wall = 5000;
    forged.payload.write.value = 9;
    expectRefused(reg, fromJSON(forged));
  });
});
