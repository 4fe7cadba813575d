/**
 * The payload plumbing (FORMAT.md sections 2, 5 and 7): encodeFrame / decodeFrame with
 * the type checks that follow the CRC, the JSON twin envelope, and the shape helpers.
 * A small codec defined here stands in for the replicated types.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  JsonTwin,
  decodeFrame,
  encodeFrame,
  expectArray,
  expectEntries,
  expectObject,
  expectString,
  expectUint,
  frame,
  resolveLimits,
  type DecodeLimits,
  type PayloadCodec,
} from '../../src/codec/index.js';
import { decodeErrorOf, expectDecodeError, hex, runs, written } from './helpers.js';

/** A set of names: `list<str>`, strictly increasing. JSON twin: `{ names: [...] }`. */
interface Names {
  readonly names: readonly string[];
}

function namesCodec(tag: number, name: string): PayloadCodec<Names> {
  return {
    tag,
    name,
    read(r) {
      const n = r.count(1);
      const names: string[] = [];
      for (let i = 0; i < n; i++) {
        const s = r.str();
        const previous = names[names.length - 1];
        if (previous !== undefined && !(previous < s)) throw r.error('non-canonical', 'names must be sorted');
        names.push(s);
      }
      return { names };
    },
    write(w, model) {
      w.uint(model.names.length);
      for (const s of model.names) w.str(s);
    },
    toJSON(model) {
      return { names: [...model.names] };
    },
    fromJSON(json, limits: DecodeLimits) {
      const o = expectObject(json, 'payload');
      return { names: expectArray(o.names, 'payload.names', limits).map((s, i) => expectString(s, `payload.names[${i}]`)) };
    },
  };
}

const toy = namesCodec(0x7e, 'toy');
const other = namesCodec(0x7d, 'other');
const known = new Set([toy.tag, other.tag]);
const twin = new JsonTwin([toy, other]);

const sortedNames = fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 8 }), { maxLength: 8 }).map((a) => a.sort());

describe('encodeFrame / decodeFrame', () => {
  it('round-trips a model through a frame of its codec (property)', () => {
    fc.assert(
      fc.property(sortedNames, (names) => {
        const bytes = encodeFrame(toy, { names });
        expect(hex(bytes)).toBe(hex(frame(0x7e, written((w) => toy.write(w, { names })))));
        expect(decodeFrame(toy, bytes, DEFAULT_LIMITS, known)).toEqual({ names });
      }),
      runs(200),
    );
  });

  it('refuses a frame of another known type as type-mismatch, and an undefined tag as unknown-type', () => {
    const bytes = encodeFrame(other, { names: ['a'] });
    expect(decodeErrorOf(() => decodeFrame(toy, bytes, DEFAULT_LIMITS, known)).offset).toBe(3);
    expectDecodeError(() => decodeFrame(toy, bytes, DEFAULT_LIMITS, known), 'type-mismatch');
    expectDecodeError(() => decodeFrame(toy, frame(0x55, new Uint8Array([0])), DEFAULT_LIMITS, known), 'unknown-type');
    // Without the family, a foreign tag is simply unknown.
    expectDecodeError(() => decodeFrame(toy, bytes, DEFAULT_LIMITS, new Set()), 'unknown-type');
  });

  it('checks the CRC before the type tag', () => {
    const bytes = frame(0x55, new Uint8Array([0])).slice();
    bytes[bytes.length - 1]! ^= 0xff;
    expectDecodeError(() => decodeFrame(toy, bytes, DEFAULT_LIMITS, known), 'checksum');
  });

  it('requires the payload to be consumed exactly (trailing-bytes)', () => {
    const bytes = frame(0x7e, Uint8Array.from([0x01, 0x01, 0x61, 0x00]));
    expectDecodeError(() => decodeFrame(toy, bytes, DEFAULT_LIMITS, known), 'trailing-bytes');
  });

  it('passes the codec’s own refusals through, and refuses non-bytes', () => {
    const unsorted = frame(0x7e, written((w) => toy.write(w, { names: ['b', 'a'] })));
    expectDecodeError(() => decodeFrame(toy, unsorted, DEFAULT_LIMITS, known), 'non-canonical');
    expectDecodeError(() => decodeFrame(toy, frame(0x7e, Uint8Array.from([0x02, 0x01])), DEFAULT_LIMITS, known), 'length-out-of-range');
    expectDecodeError(() => decodeFrame(toy, 'bytes', DEFAULT_LIMITS, known), 'invalid-value');
  });

  it('decodes with the limits given', () => {
    const bytes = encodeFrame(toy, { names: ['a', 'b', 'c'] });
    expect(decodeFrame(toy, bytes, resolveLimits({ maxItems: 3 }), known).names).toHaveLength(3);
    expectDecodeError(() => decodeFrame(toy, bytes, resolveLimits({ maxItems: 2 }), known), 'limit-exceeded');
    expectDecodeError(() => decodeFrame(toy, bytes, resolveLimits({ maxBytes: bytes.length - 1 }), known), 'limit-exceeded');
  });
});

describe('JsonTwin', () => {
  it('knows the tags of its codecs', () => {
    expect([...twin.tags].sort()).toEqual([0x7d, 0x7e]);
  });

  it('converts a frame to its JSON twin and back to identical bytes (property)', () => {
    fc.assert(
      fc.property(sortedNames, fc.boolean(), (names, useOther) => {
        const codec = useOther ? other : toy;
        const bytes = encodeFrame(codec, { names });
        const json = twin.toJSON(bytes, DEFAULT_LIMITS);
        expect(json).toEqual({ format: 'tandem', version: 1, type: codec.name, payload: { names } });
        const back = twin.fromJSON(JSON.parse(JSON.stringify(json)), DEFAULT_LIMITS);
        expect(hex(back)).toBe(hex(bytes));
      }),
      runs(200),
    );
  });

  it('refuses invalid frames in toJSON, including tags it does not know', () => {
    expectDecodeError(() => twin.toJSON(frame(0x55, new Uint8Array([0])), DEFAULT_LIMITS), 'unknown-type');
    expectDecodeError(() => twin.toJSON(frame(0x7e, Uint8Array.from([0x00, 0x00])), DEFAULT_LIMITS), 'trailing-bytes');
    expectDecodeError(() => twin.toJSON(new Uint8Array(4), DEFAULT_LIMITS), 'truncated');
  });

  const envelope = (overrides: Record<string, unknown>): unknown => ({
    format: 'tandem',
    version: 1,
    type: 'toy',
    payload: { names: ['a'] },
    ...overrides,
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'invalid-value'],
    ['an array', [], 'invalid-value'],
    ['a string', '{"format":"tandem"}', 'invalid-value'],
    ['a wrong format', envelope({ format: 'yjs' }), 'invalid-value'],
    ['a missing format', envelope({ format: undefined }), 'invalid-value'],
    ['version 2', envelope({ version: 2 }), 'unsupported-version'],
    ['version "1"', envelope({ version: '1' }), 'unsupported-version'],
    ['an unknown type', envelope({ type: 'gset' }), 'unknown-type'],
    ['a non-string type', envelope({ type: 0x7e }), 'unknown-type'],
    ['an inherited name as type', envelope({ type: 'constructor' }), 'unknown-type'],
    ['a payload of the wrong shape', envelope({ payload: [] }), 'invalid-value'],
    ['a name that is not a string', envelope({ payload: { names: [1] } }), 'invalid-value'],
    ['a name with a lone surrogate (the writer’s TypeError, wrapped)', envelope({ payload: { names: ['\ud800'] } }), 'invalid-value'],
    ['unsorted names, refused by the binary decoder', envelope({ payload: { names: ['b', 'a'] } }), 'non-canonical'],
  ])('fromJSON refuses %s', (_, json, code) => {
    expect(decodeErrorOf(() => twin.fromJSON(json, DEFAULT_LIMITS)).code).toBe(code);
  });

  it('applies the limits in fromJSON', () => {
    const json = envelope({ payload: { names: ['a', 'b', 'c'] } });
    expect(twin.fromJSON(json, resolveLimits({ maxItems: 3 })).length).toBeGreaterThan(0);
    expectDecodeError(() => twin.fromJSON(json, resolveLimits({ maxItems: 2 })), 'limit-exceeded');
    expectDecodeError(() => twin.fromJSON(envelope({ payload: { names: ['abc'] } }), resolveLimits({ maxStringBytes: 2 })), 'limit-exceeded');
  });
});

describe('JSON shape helpers', () => {
  it('expectObject accepts plain objects only', () => {
    const o = { a: 1 };
    expect(expectObject(o, 'x')).toBe(o);
    for (const bad of [null, [], 'x', 1, undefined]) expectDecodeError(() => expectObject(bad, 'x'), 'invalid-value');
    expect(() => expectObject(null, 'payload.write')).toThrow(/payload\.write/);
  });

  it('expectArray accepts arrays up to maxItems', () => {
    const limits = resolveLimits({ maxItems: 2 });
    expect(expectArray([1, 2], 'x', limits)).toEqual([1, 2]);
    expectDecodeError(() => expectArray([1, 2, 3], 'x', limits), 'limit-exceeded');
    expectDecodeError(() => expectArray({ length: 0 }, 'x', limits), 'invalid-value');
  });

  it('expectUint accepts safe integers at least min', () => {
    expect(expectUint(0, 'x')).toBe(0);
    expect(expectUint(Number.MAX_SAFE_INTEGER, 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(expectUint(1, 'x', 1)).toBe(1);
    for (const bad of [-1, 1.5, 2 ** 53, NaN, Infinity, '1', null]) expectDecodeError(() => expectUint(bad, 'x'), 'invalid-value');
    expectDecodeError(() => expectUint(0, 'x', 1), 'invalid-value');
  });

  it('expectString accepts strings only', () => {
    expect(expectString('', 'x')).toBe('');
    for (const bad of [1, null, ['a'], Object('a')]) expectDecodeError(() => expectString(bad, 'x'), 'invalid-value');
  });

  it('expectEntries lists own entries up to maxItems', () => {
    const limits = resolveLimits({ maxItems: 2 });
    expect(expectEntries({ a: 1, b: 2 }, 'x', limits)).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expectDecodeError(() => expectEntries({ a: 1, b: 2, c: 3 }, 'x', limits), 'limit-exceeded');
    expectDecodeError(() => expectEntries([], 'x', limits), 'invalid-value');
  });
});
