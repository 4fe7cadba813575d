import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, type Replicated } from '../../src/index.js';
import { DEFAULT_LIMITS, frame, unframe } from '../../src/codec/index.js';
import { LONG, runs } from '../helpers/property.js';
import { adapters, type Adapter } from './adapters.js';
import { fingerprint, load, play, scenario } from './network.js';

/** Applies `bytes` and expects a DecodeError that leaves `target` exactly as it was. */
function expectRefused(adapter: Adapter, target: Replicated, bytes: Uint8Array): void {
  const before = fingerprint(adapter, target);
  let error: unknown;
  try {
    target.apply(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DecodeError);
  expect((error as Error).name).toBe('DecodeError');
  expect(fingerprint(adapter, target)).toEqual(before);
}

/** A target replica and an update for it, from a random run. */
function setup(adapter: Adapter) {
  return scenario(adapter, 2, 3, 30).map(({ replicas, actions }) => {
    const [a, b] = play(adapter, replicas, actions).replicas;
    return { target: a!, update: b!.encode(a!.version()), whole: b!.encode() };
  });
}

describe.each(adapters)('$name refuses bad input and stays unchanged', (adapter) => {
  it('every prefix, every single-byte flip, the empty buffer', () => {
    fc.assert(
      fc.property(setup(adapter), ({ target, whole }) => {
        for (let n = 0; n < whole.length; n++) expectRefused(adapter, target, whole.slice(0, n));
        for (let i = 0; i < whole.length; i++) {
          for (const mask of [0x01, 0x80, 0xff]) {
            const flipped = whole.slice();
            flipped[i]! ^= mask;
            expectRefused(adapter, target, flipped);
          }
        }
        expectRefused(adapter, target, new Uint8Array(0));
      }),
      runs(LONG ? 10 : 15),
    );
  });

  it('random garbage, with and without a valid header', () => {
    fc.assert(
      fc.property(setup(adapter), fc.uint8Array({ maxLength: 200 }), ({ target }, garbage) => {
        expectRefused(adapter, target, garbage);
        expectRefused(adapter, target, new Uint8Array([0x54, 0x44, 0x01, garbage[0] ?? 0, ...garbage]));
      }),
      runs(100),
    );
  });

  it('a mutated payload behind a valid checksum is refused cleanly or merged consistently', () => {
    fc.assert(
      fc.property(
        setup(adapter),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        ({ target, update }, flips, cut) => {
          const { tag, payload } = unframe(update, DEFAULT_LIMITS);
          const body = update.slice(payload.pos, payload.end);
          if (body.length === 0) return;
          for (const [at, mask] of flips) body[at % body.length]! ^= mask;
          const variants = [frame(tag, body), frame(tag, body.slice(0, cut % (body.length + 1)))];
          for (const bytes of variants) {
            const before = fingerprint(adapter, target);
            try {
              target.apply(bytes);
            } catch (e) {
              expect(e).toBeInstanceOf(DecodeError);
              expect(fingerprint(adapter, target)).toEqual(before);
              continue;
            }
            // Accepted: it was a valid update after all. The replica must still be coherent:
            // its own encoding loads into a fresh replica with the same value and bytes.
            const copy = load(adapter, 'copy', target.encode());
            expect(fingerprint(adapter, copy).value).toEqual(fingerprint(adapter, target).value);
            expect(copy.encode()).toEqual(target.encode());
          }
        },
      ),
      runs(LONG ? 300 : 200),
    );
  });

  it('a frame of another type is a type-mismatch, and an unknown tag is unknown-type', () => {
    const target = adapter.create('t', () => 0);
    const other = adapters.find((a) => a.name !== adapter.name)!.create('o', () => 0);
    const foreign = other.encode();
    const error = (() => {
      try {
        target.apply(foreign);
      } catch (e) {
        return e as DecodeError;
      }
      return undefined;
    })();
    expect(error?.code).toBe('type-mismatch');
    const unknown = frame(0x7f, new Uint8Array([0]));
    expect(() => target.apply(unknown)).toThrow(expect.objectContaining({ code: 'unknown-type' }));
  });

  it('maxBytes and maxItems are enforced before decoding', () => {
    // Three replicas that each changed something, merged: at least three replica entries.
    const merged = adapter.create('merged', () => 0);
    for (let i = 0; i < 3; i++) {
      const r = adapter.create(`r${i}`, () => 0);
      for (let seed = 0; Object.keys(r.version()).length === 0; seed++) {
        adapter.perform(r, fc.sample(adapter.op, { seed: seed * 3 + i, numRuns: 1 })[0]!);
      }
      merged.apply(r.encode());
    }
    const bytes = merged.encode();
    expectRefusedWith(adapter.create('t', () => 0, { maxBytes: bytes.length - 1 }), bytes, 'limit-exceeded');
    expectRefusedWith(adapter.create('t', () => 0, { maxItems: 2 }), bytes, 'limit-exceeded');
    expect(() => adapter.create('t', () => 0, { maxItems: 3 * 20 }).apply(bytes)).not.toThrow();
  });
});

function expectRefusedWith(target: Replicated, bytes: Uint8Array, code: string): void {
  expect(() => target.apply(bytes)).toThrow(expect.objectContaining({ name: 'DecodeError', code }));
  expect(target.version()).toEqual({});
}
