/**
 * JSON values (FORMAT.md section 1.1): ingestion of local values, the tagged encoding
 * checked byte for byte against an independent reference encoder, the decoder's
 * canonical rules and limits, prototype safety, and ValueMap's content equality.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  DecodeError,
  ValueMap,
  Writer,
  compareValues,
  defineOwn,
  ingestValue,
  isWellFormed,
  readValue,
  resolveLimits,
  valueFromJSON,
  valuesEqual,
  writeValue,
  type DecodeLimits,
  type JsonValue,
} from '../../src/codec/index.js';
import {
  decodeErrorOf,
  expectDecodeError,
  f64Bytes,
  hex,
  leb128,
  readerOf,
  runs,
  utf8,
  written,
  zigzag,
} from './helpers.js';

/** The default limits with another `maxDepth`. */
function depth(maxDepth: number) {
  return { ...DEFAULT_LIMITS, maxDepth };
}

const MAX = Number.MAX_SAFE_INTEGER;

// ---------------------------------------------------------------------------------------
// Independent references: canonical JSON text and the FORMAT.md 1.1 encoding, computed
// straight from the spec (keys sorted with the default sort, i.e. by UTF-16 code units).

function ownValue(o: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(o, key)?.value;
}

/** Canonical JSON text of any JSON-like input: keys sorted, -0 as 0. */
function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(ownValue(v, k))}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The FORMAT.md 1.1 encoding of a JSON-like input. */
function referenceEncode(v: unknown): number[] {
  if (v === null) return [0x00];
  if (v === false) return [0x01];
  if (v === true) return [0x02];
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) ? [0x03, ...leb128(zigzag(BigInt(v)))] : [0x04, ...f64Bytes(v)];
  }
  if (typeof v === 'string') {
    const bytes = utf8(v);
    return [0x05, ...leb128(BigInt(bytes.length)), ...bytes];
  }
  if (Array.isArray(v)) return [0x06, ...leb128(BigInt(v.length)), ...v.flatMap(referenceEncode)];
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return [
      0x07,
      ...leb128(BigInt(keys.length)),
      ...keys.flatMap((k) => {
        const bytes = utf8(k);
        return [...leb128(BigInt(bytes.length)), ...bytes, ...referenceEncode(ownValue(v, k))];
      }),
    ];
  }
  throw new TypeError(`not JSON: ${String(v)}`);
}

function encode(v: JsonValue): Uint8Array {
  return written((w) => writeValue(w, v));
}

function decode(bytes: Uint8Array | readonly number[], limits: DecodeLimits = DEFAULT_LIMITS): JsonValue {
  const r = readerOf(bytes, limits);
  const v = readValue(r);
  r.done();
  return v;
}

function isDeepFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (!Object.isFrozen(v)) return false;
  return Object.keys(v).every((k) => isDeepFrozen(ownValue(v, k)));
}

const jsonValues = fc
  .oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
    fc.jsonValue({ maxDepth: 2, stringUnit: 'grapheme' }),
  );

// ---------------------------------------------------------------------------------------

describe('writeValue / readValue: the encoding', () => {
  it.each<[string, unknown, number[]]>([
    ['null', null, [0x00]],
    ['false', false, [0x01]],
    ['true', true, [0x02]],
    ['0', 0, [0x03, 0x00]],
    ['-0 as 0', -0, [0x03, 0x00]],
    ['1.0 as an integer', 1.0, [0x03, 0x02]],
    ['7', 7, [0x03, 0x0e]],
    ['-1', -1, [0x03, 0x01]],
    ['2^53 - 1', MAX, [0x03, ...leb128(zigzag(BigInt(MAX)))]],
    ['-(2^53 - 1)', -MAX, [0x03, ...leb128(zigzag(BigInt(-MAX)))]],
    ['2^53 as a float', 2 ** 53, [0x04, ...f64Bytes(2 ** 53)]],
    ['0.5', 0.5, [0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x3f]],
    ['-1.5', -1.5, [0x04, ...f64Bytes(-1.5)]],
    ['the smallest subnormal', 5e-324, [0x04, ...f64Bytes(5e-324)]],
    ['the largest double', Number.MAX_VALUE, [0x04, ...f64Bytes(Number.MAX_VALUE)]],
    ['""', '', [0x05, 0x00]],
    ['"x"', 'x', [0x05, 0x01, 0x78]],
    ['[]', [], [0x06, 0x00]],
    ['[null, [true]]', [null, [true]], [0x06, 0x02, 0x00, 0x06, 0x01, 0x02]],
    ['{}', {}, [0x07, 0x00]],
    ['{a: 1}', { a: 1 }, [0x07, 0x01, 0x01, 0x61, 0x03, 0x02]],
    ['{b: 2, a: 1} with sorted keys', { b: 2, a: 1 }, [0x07, 0x02, 0x01, 0x61, 0x03, 0x02, 0x01, 0x62, 0x03, 0x04]],
  ])('encodes %s as FORMAT.md 1.1 says', (_, input, bytes) => {
    const v = ingestValue(input, 'value', depth(64));
    const out = encode(v);
    expect(hex(out)).toBe(hex(bytes));
    expect(hex(out)).toBe(hex(referenceEncode(input)));
    expect(canonicalJSON(decode(out))).toBe(canonicalJSON(input));
  });

  it('round-trips any JSON value byte-identical to the reference encoder (property)', () => {
    fc.assert(
      fc.property(jsonValues, (input) => {
        const v = ingestValue(input, 'value', depth(64));
        const bytes = encode(v);
        expect(hex(bytes)).toBe(hex(referenceEncode(input)));
        const back = decode(bytes);
        // Canonical form: keys sorted, -0 as 0. (JavaScript itself lists integer-like keys
        // first, so the decoded object's own key order cannot always be the sorted one.)
        expect(canonicalJSON(back)).toBe(canonicalJSON(input));
        expect(back).toEqual(v);
        expect(isDeepFrozen(back)).toBe(true);
        // Re-encoding what was read gives the same bytes: one state, one encoding.
        expect(hex(encode(back))).toBe(hex(bytes));
      }),
      runs(500),
    );
  });

  it('encodes equal content identically and different content differently (property)', () => {
    fc.assert(
      fc.property(jsonValues, jsonValues, (a, b) => {
        const sameContent = canonicalJSON(a) === canonicalJSON(b);
        const sameBytes = hex(encode(ingestValue(a, 'a', depth(64)))) === hex(encode(ingestValue(b, 'b', depth(64))));
        expect(sameBytes).toBe(sameContent);
        expect(valuesEqual(ingestValue(a, 'a', depth(64)), ingestValue(b, 'b', depth(64)))).toBe(sameContent);
      }),
      runs(300),
    );
  });

  it('ignores the key order of the input object (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.jsonValue({ maxDepth: 1 })), {
          selector: ([k]) => k,
          maxLength: 8,
        }),
        (entries) => {
          const forward: Record<string, unknown> = {};
          const backward: Record<string, unknown> = {};
          for (const [k, v] of entries) defineOwn(forward, k, v);
          for (const [k, v] of [...entries].reverse()) defineOwn(backward, k, v);
          const a = encode(ingestValue(forward, 'forward', depth(64)));
          const b = encode(ingestValue(backward, 'backward', depth(64)));
          expect(hex(a)).toBe(hex(b));
        },
      ),
      runs(300),
    );
  });

  it('round-trips every finite double: safe integers as tag 03, the rest as tag 04 (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.maxSafeInteger()), (x) => {
        const v = ingestValue(x, 'number', depth(64));
        expect(Object.is(v, x === 0 ? 0 : x)).toBe(true);
        const bytes = encode(v);
        expect(bytes[0]).toBe(Number.isSafeInteger(x) ? 0x03 : 0x04);
        expect(Object.is(decode(bytes), v)).toBe(true);
      }),
      runs(1000),
    );
  });

  it('returns object keys in sorted order, by UTF-16 code units (not code points)', () => {
    const input = { zeta: 1, alpha: 2, Beta: 3, '\uff61': 4, '\u{1f600}': 5, _: 6, '': 7 };
    const v = ingestValue(input, 'value', depth(64));
    const expected = ['', 'Beta', '_', 'alpha', 'zeta', '\u{1f600}', '\uff61'];
    expect(Object.keys(v as object)).toEqual(expected);
    expect(Object.keys(decode(encode(v)) as object)).toEqual(expected);
    // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FF61 although its code point is larger.
    expect('\u{1f600}' < '\uff61').toBe(true);
  });
});

describe('ingestValue', () => {
  it('returns primitives unchanged, except -0 which becomes 0', () => {
    for (const x of [null, true, false, 0, 1, -1, 1.5, MAX, -MAX, 1e300, '', 'é😀']) {
      expect(Object.is(ingestValue(x, 'v', depth(64)), x)).toBe(true);
    }
    expect(Object.is(ingestValue(-0, 'v', depth(64)), 0)).toBe(true);
    expect(Object.is((ingestValue([-0], 'v', depth(64)) as JsonValue[])[0], 0)).toBe(true);
    expect(Object.is((ingestValue({ a: -0 }, 'v', depth(64)) as Record<string, JsonValue>).a, 0)).toBe(true);
  });

  it('returns a deep frozen copy, detached from the input', () => {
    const input = { list: [1, { x: 'y' }], nested: { deeper: [[]] } };
    const v = ingestValue(input, 'v', depth(64));
    expect(isDeepFrozen(v)).toBe(true);
    expect(v).not.toBe(input);
    input.list.push(2);
    input.nested.deeper = [];
    expect(canonicalJSON(v)).toBe('{"list":[1,{"x":"y"}],"nested":{"deeper":[[]]}}');
    expect(Object.isFrozen(input)).toBe(false);
  });

  it('is idempotent and keeps decoded values as they are (property)', () => {
    fc.assert(
      fc.property(jsonValues, (input) => {
        const once = ingestValue(input, 'v', depth(64));
        const twice = ingestValue(once, 'v', depth(64));
        expect(twice).toEqual(once);
        expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
        expect(ingestValue(decode(encode(once)), 'v', depth(64))).toEqual(once);
      }),
      runs(300),
    );
  });

  it('accepts objects without a prototype and returns a plain object', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = [true];
    const v = ingestValue(bare, 'v', depth(64));
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(JSON.stringify(v)).toBe('{"a":[true],"b":1}');
  });

  class Point {
    x = 1;
  }
  const sparse = [1, , 3];
  const cyclicArray: unknown[] = [];
  cyclicArray.push(cyclicArray);
  const cyclicObject: Record<string, unknown> = {};
  cyclicObject.self = { again: cyclicObject };

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['an arrow function', () => 1],
    ['a function', function named() {}],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a Date', new Date(0)],
    ['a Map', new Map([[1, 2]])],
    ['a Set', new Set([1])],
    ['a RegExp', /x/],
    ['a class instance', new Point()],
    ['an Error', new Error('e')],
    ['a Uint8Array', new Uint8Array(2)],
    ['a boxed number', Object(1)],
    ['a boxed string', Object('s')],
    ['a sparse array', sparse],
    ['an array of holes', new Array(3)],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate in text', 'a\udc00b'],
    ['an object key with a lone surrogate', { '\ud83d': 1 }],
    ['undefined inside an array', [1, undefined]],
    ['undefined as an object value', { a: undefined }],
    ['NaN deep inside', { a: [{ b: NaN }] }],
    ['a function inside an object', { f: () => 1 }],
    ['a Date inside an array', [new Date(0)]],
    ['a lone surrogate inside an array', ['ok', '\udfff']],
  ])('refuses %s with a TypeError', (_, input) => {
    expect(() => ingestValue(input, 'element', depth(64))).toThrow(TypeError);
    expect(() => valueFromJSON(input, depth(64))).toThrow(TypeError);
  });

  it('names the argument in its error messages', () => {
    expect(() => ingestValue(undefined, 'element', depth(64))).toThrow(/element/);
    expect(() => ingestValue({ a: [NaN] }, 'element', depth(64))).toThrow(/element\.a\[0\]/);
  });

  function nested(depth: number, leaf: unknown = 1, kind: 'array' | 'object' = 'array'): unknown {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { k: v };
    return v;
  }

  it('accepts nesting up to maxDepth and refuses deeper nesting with a RangeError', () => {
    for (const kind of ['array', 'object'] as const) {
      expect(() => ingestValue(nested(64, 1, kind), 'v', depth(64))).not.toThrow();
      expect(() => ingestValue(nested(65, 1, kind), 'v', depth(64))).toThrow(RangeError);
      expect(() => ingestValue(nested(3, 1, kind), 'v', depth(3))).not.toThrow();
      expect(() => ingestValue(nested(4, 1, kind), 'v', depth(3))).toThrow(RangeError);
    }
    expect(() => ingestValue([], 'v', depth(1))).not.toThrow();
    expect(() => ingestValue([[]], 'v', depth(1))).toThrow(RangeError);
  });

  it('refuses cyclic values with a RangeError', () => {
    expect(() => ingestValue(cyclicArray, 'v', depth(64))).toThrow(RangeError);
    expect(() => ingestValue(cyclicObject, 'v', depth(64))).toThrow(RangeError);
    expect(() => ingestValue(cyclicObject, 'v', depth(10_000))).toThrow(RangeError);
  });

  it('accepts exactly the depths that readValue accepts under the same maxDepth', () => {
    for (const maxDepth of [1, 2, 5, 64]) {
      const limits = resolveLimits({ maxDepth });
      const ok = nested(maxDepth);
      const tooDeep = nested(maxDepth + 1);
      expect(() => decode(referenceEncode(ok), limits)).not.toThrow();
      expect(() => ingestValue(ok, 'v', depth(maxDepth))).not.toThrow();
      expectDecodeError(() => decode(referenceEncode(tooDeep), limits), 'limit-exceeded');
      expect(() => ingestValue(tooDeep, 'v', depth(maxDepth))).toThrow(RangeError);
    }
  });
});

describe('prototype safety', () => {
  const hostile = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true}}';

  function expectOrdinaryKeys(v: JsonValue): void {
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v as object)).toEqual(['__proto__', 'constructor', 'prototype']);
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(Object.hasOwn(v as object, key)).toBe(true);
      expect(ownValue(v as object, key)).toEqual(key === 'constructor' ? { prototype: { polluted: true } } : { polluted: true });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(v)).toBe(hostile);
  }

  it('ingests __proto__, constructor and prototype as ordinary own keys', () => {
    expectOrdinaryKeys(ingestValue(JSON.parse(hostile), 'v', depth(64)));
  });

  it('decodes __proto__, constructor and prototype as ordinary own keys', () => {
    const bytes = referenceEncode(JSON.parse(hostile));
    const v = decode(bytes);
    expectOrdinaryKeys(v);
    expect(hex(encode(v))).toBe(hex(bytes));
  });

  it('round-trips a __proto__ key holding a primitive, an array or null', () => {
    for (const inner of [1, [1, 2], null, 'x']) {
      const input = JSON.parse(`{"__proto__":${JSON.stringify(inner)}}`) as unknown;
      const v = decode(encode(ingestValue(input, 'v', depth(64))));
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
      expect(ownValue(v as object, '__proto__')).toEqual(inner);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('defineOwn sets __proto__ as an own property and ordinary keys as usual', () => {
    const target: Record<string, unknown> = {};
    defineOwn(target, '__proto__', { polluted: true });
    defineOwn(target, 'a', 1);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('readValue: what the decoder refuses', () => {
  it.each<[string, number]>([
    ['1.0', 1],
    ['0', 0],
    ['-0', -0],
    ['-5', -5],
    ['2^53 - 1', MAX],
    ['-(2^53 - 1)', -MAX],
  ])('refuses the integer %s stored as float64 (non-canonical)', (_, x) => {
    expectDecodeError(() => decode([0x04, ...f64Bytes(x)]), 'non-canonical');
  });

  it.each<[string, number[]]>([
    ['NaN', f64Bytes(NaN)],
    ['a NaN with other payload bits', [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f]],
    ['a negative NaN', [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0xff]],
    ['Infinity', f64Bytes(Infinity)],
    ['-Infinity', f64Bytes(-Infinity)],
  ])('refuses %s as a float64 (invalid-value)', (_, bytes) => {
    expectDecodeError(() => decode([0x04, ...bytes]), 'invalid-value');
  });

  it('accepts a non-safe integral float (2^53) as tag 04, since tag 03 cannot hold it', () => {
    expect(decode([0x04, ...f64Bytes(2 ** 53)])).toBe(2 ** 53);
    expect(decode([0x04, ...f64Bytes(-(2 ** 60))])).toBe(-(2 ** 60));
  });

  it.each<[string, number[]]>([
    ['unsorted keys', [0x07, 0x02, 0x01, 0x62, 0x00, 0x01, 0x61, 0x00]],
    ['duplicate keys', [0x07, 0x02, 0x01, 0x61, 0x00, 0x01, 0x61, 0x00]],
    ['"" after "a"', [0x07, 0x02, 0x01, 0x61, 0x00, 0x00, 0x00]],
    ['code-point order instead of UTF-16 order', [0x07, 0x02, ...leb128(3n), ...utf8('\uff61'), 0x00, ...leb128(4n), ...utf8('\u{1f600}'), 0x00]],
    ['unsorted keys in a nested object', [0x06, 0x01, 0x07, 0x02, 0x01, 0x62, 0x00, 0x01, 0x61, 0x00]],
  ])('refuses an object with %s (non-canonical)', (_, bytes) => {
    expectDecodeError(() => decode(bytes), 'non-canonical');
  });

  it('accepts the same keys in UTF-16 order', () => {
    const bytes = [0x07, 0x02, ...leb128(4n), ...utf8('\u{1f600}'), 0x00, ...leb128(3n), ...utf8('\uff61'), 0x00];
    expect(Object.keys(decode(bytes) as object)).toEqual(['\u{1f600}', '\uff61']);
  });

  it('refuses every unknown tag 0x08..0xFF (invalid-value)', () => {
    for (let tag = 0x08; tag <= 0xff; tag++) {
      expectDecodeError(() => decode([tag, 0x00, 0x00]), 'invalid-value');
    }
    expectDecodeError(() => decode([0x06, 0x01, 0x08]), 'invalid-value');
  });

  it('refuses nesting beyond maxDepth (limit-exceeded), for arrays and objects', () => {
    const limits = resolveLimits({ maxDepth: 3 });
    expect(decode([0x06, 0x01, 0x06, 0x01, 0x06, 0x00], limits)).toEqual([[[]]]);
    expectDecodeError(() => decode([0x06, 0x01, 0x06, 0x01, 0x06, 0x01, 0x06, 0x00], limits), 'limit-exceeded');
    const objects = [0x07, 0x01, 0x00, 0x07, 0x01, 0x00, 0x07, 0x01, 0x00, 0x07, 0x00];
    expectDecodeError(() => decode(objects, limits), 'limit-exceeded');
    expect(decode(objects, resolveLimits({ maxDepth: 4 }))).toEqual({ '': { '': { '': {} } } });
  });

  it('refuses 100,000 nested arrays with limit-exceeded, not a stack overflow', () => {
    const bytes = new Uint8Array(200_001);
    for (let i = 0; i < 100_000; i++) bytes.set([0x06, 0x01], 2 * i);
    bytes[200_000] = 0x00;
    const e = expectDecodeError(() => decode(bytes), 'limit-exceeded');
    expect(e.offset).toBeLessThan(200);
  });

  it('refuses a huge array count with few bytes before allocating (length-out-of-range)', () => {
    // 2^32 is not a valid JavaScript array length: had the decoder called new Array(n)
    // first, this would be a RangeError rather than a DecodeError.
    for (const n of [2n ** 32n, 2n ** 53n - 1n, 1_000_000n, 2n]) {
      expectDecodeError(() => decode([0x06, ...leb128(n), 0x00]), 'length-out-of-range');
    }
    const e = decodeErrorOf(() => decode([0x06, ...leb128(2n ** 32n), 0x00, 0x00, 0x00]));
    expect(e.code).toBe('length-out-of-range');
  });

  it('refuses an object count whose pairs cannot fit: each pair needs at least 2 bytes', () => {
    // Three pairs need six bytes; four remain.
    expectDecodeError(() => decode([0x07, 0x03, 0x00, 0x00, 0x00, 0x00]), 'length-out-of-range');
    expectDecodeError(() => decode([0x07, ...leb128(2n ** 40n), 0x00, 0x00]), 'length-out-of-range');
  });

  it('refuses a count within the bytes but beyond maxItems (limit-exceeded)', () => {
    const limits = resolveLimits({ maxItems: 3 });
    expect(decode([0x06, 0x03, 0x00, 0x00, 0x00], limits)).toEqual([null, null, null]);
    expectDecodeError(() => decode([0x06, 0x04, 0x00, 0x00, 0x00, 0x00], limits), 'limit-exceeded');
  });

  it('applies maxStringBytes to strings and keys inside values', () => {
    const limits = resolveLimits({ maxStringBytes: 2 });
    expect(decode(referenceEncode({ ab: 'cd' }), limits)).toEqual({ ab: 'cd' });
    expectDecodeError(() => decode(referenceEncode('abc'), limits), 'limit-exceeded');
    expectDecodeError(() => decode(referenceEncode({ abc: 1 }), limits), 'limit-exceeded');
  });

  it.each<[string, number[], string]>([
    ['empty input', [], 'truncated'],
    ['an integer without its varint', [0x03], 'truncated'],
    ['a float cut short', [0x04, 0x00, 0x00, 0x00], 'truncated'],
    ['a string without its length', [0x05], 'truncated'],
    ['a string cut short', [0x05, 0x03, 0x61], 'length-out-of-range'],
    ['invalid UTF-8 in a string', [0x05, 0x01, 0xff], 'invalid-value'],
    ['invalid UTF-8 in a key', [0x07, 0x01, 0x01, 0xc0, 0x00], 'invalid-value'],
    ['a padded integer', [0x03, 0x80, 0x00], 'non-canonical'],
    ['an overflowing integer', [0x03, ...leb128(zigzag(2n ** 53n))], 'varint-overflow'],
    ['an array missing an item', [0x06, 0x02, 0x00], 'length-out-of-range'],
  ])('refuses %s', (_, bytes, code) => {
    expect(decodeErrorOf(() => decode(bytes)).code).toBe(code);
  });

  it('refuses every proper prefix of an encoding: values are self-delimiting (property)', () => {
    fc.assert(
      fc.property(jsonValues, (input) => {
        const bytes = encode(ingestValue(input, 'v', depth(64)));
        for (let cut = 0; cut < bytes.length; cut++) {
          const e = decodeErrorOf(() => readValue(readerOf(bytes.subarray(0, cut))));
          expect(['truncated', 'length-out-of-range']).toContain(e.code);
        }
      }),
      runs(100),
    );
  });

  it('on corrupted input either throws a DecodeError or returns a value whose encoding is exactly the bytes read (property)', () => {
    const corrupted = fc
      .tuple(jsonValues, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }))
      .map(([input, flips]) => {
        const bytes = encode(ingestValue(input, 'v', depth(64))).slice();
        for (const [at, mask] of flips) bytes[at % bytes.length]! ^= mask;
        return bytes;
      });
    fc.assert(
      fc.property(fc.oneof(corrupted, fc.uint8Array({ maxLength: 24 })), (bytes) => {
        const r = readerOf(bytes);
        let v: JsonValue;
        try {
          v = readValue(r);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          return;
        }
        expect(isDeepFrozen(v)).toBe(true);
        expect(hex(encode(v))).toBe(hex(bytes.subarray(0, r.pos)));
      }),
      runs(1000),
    );
  });
});

describe('ValueMap', () => {
  const v = (x: unknown): JsonValue => ingestValue(x, 'key', depth(64));

  it('tells the string "1" from the number 1, and false from 0 and null', () => {
    const m = new ValueMap<string>();
    m.set(v('1'), 'string');
    m.set(v(1), 'number');
    m.set(v(false), 'false');
    m.set(v(0), 'zero');
    m.set(v(null), 'null');
    m.set(v(''), 'empty');
    expect(m.size).toBe(6);
    expect(m.get(v('1'))).toBe('string');
    expect(m.get(v(1))).toBe('number');
    expect(m.get(v(false))).toBe('false');
    expect(m.get(v(0))).toBe('zero');
    expect(m.get(v(-0))).toBe('zero');
    expect(m.get(v(null))).toBe('null');
    expect(m.get(v(true))).toBeUndefined();
  });

  it('treats objects with the same content as one key, whatever their key order', () => {
    const m = new ValueMap<number>();
    m.set(v({ a: 1, b: 2 }), 1);
    expect(m.get(v({ b: 2, a: 1 }))).toBe(1);
    m.set(v({ b: 2, a: 1 }), 2);
    expect(m.size).toBe(1);
    expect(m.get(v({ a: 1, b: 2 }))).toBe(2);
    expect(m.get(v({ a: 1, b: 3 }))).toBeUndefined();
    expect(m.get(v({ a: 1 }))).toBeUndefined();
  });

  it('tells apart composites that only look alike', () => {
    const m = new ValueMap<string>();
    const keys = [[], {}, [1], ['1'], [[1]], { a: [1] }, { a: ['1'] }, [null], '[]', '{}'];
    keys.forEach((k, i) => m.set(v(k), String(i)));
    expect(m.size).toBe(keys.length);
    keys.forEach((k, i) => expect(m.get(v(k))).toBe(String(i)));
  });

  it('deletes, reports whether it deleted, clears and iterates primitives first', () => {
    const m = new ValueMap<string>();
    m.set(v([1]), 'array');
    m.set(v('x'), 'string');
    m.set(v({ k: 1 }), 'object');
    m.set(v(2), 'number');
    expect([...m.values()]).toEqual(['string', 'number', 'array', 'object']);
    expect(m.delete(v({ k: 1 }))).toBe(true);
    expect(m.delete(v({ k: 1 }))).toBe(false);
    expect(m.delete(v('x'))).toBe(true);
    expect(m.delete(v('2'))).toBe(false);
    expect(m.size).toBe(2);
    expect(m.get(v('x'))).toBeUndefined();
    m.clear();
    expect(m.size).toBe(0);
    expect([...m.values()]).toEqual([]);
  });

  it('behaves like a map keyed by canonical encoding (model-based property)', () => {
    const pool = [1, '1', true, null, 0, 1.5, [], {}, [1], ['1'], { a: 1, b: 2 }, { b: 2, a: 1 }, { a: [1, { c: null }] }];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(pool.length - 1), entry: fc.nat(9) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(pool.length - 1) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const m = new ValueMap<number>();
        const model = new Map<string, number>();
        for (const o of ops) {
          // A fresh ingest each time: equality must come from content, not identity.
          const key = v(pool[o.at]);
          const modelKey = hex(referenceEncode(pool[o.at]));
          if (o.kind === 'set') {
            m.set(key, o.entry);
            model.set(modelKey, o.entry);
          } else {
            expect(m.delete(key)).toBe(model.delete(modelKey));
          }
          expect(m.size).toBe(model.size);
        }
        for (const k of pool) expect(m.get(v(k))).toBe(model.get(hex(referenceEncode(k))));
        expect([...m.values()].sort()).toEqual([...model.values()].sort());
      }),
      runs(300),
    );
  });
});

describe('value helpers', () => {
  it('valuesEqual compares content', () => {
    expect(valuesEqual(v0({ a: [1, 'x'] }), v0({ a: [1, 'x'] }))).toBe(true);
    expect(valuesEqual(v0({ a: 1, b: 2 }), v0({ b: 2, a: 1 }))).toBe(true);
    expect(valuesEqual(v0(1), v0('1'))).toBe(false);
    expect(valuesEqual(v0([1]), v0({ 0: 1 }))).toBe(false);
    expect(valuesEqual(v0(null), v0({}))).toBe(false);
    expect(valuesEqual(v0(0), v0(-0))).toBe(true);
  });

  it('compareValues is a total order consistent with content equality (property)', () => {
    fc.assert(
      fc.property(jsonValues, jsonValues, jsonValues, (a, b, c) => {
        const [x, y, z] = [v0(a), v0(b), v0(c)];
        expect(Math.sign(compareValues(x, y)) + Math.sign(compareValues(y, x))).toBe(0);
        expect(compareValues(x, y) === 0).toBe(valuesEqual(x, y));
        expect(compareValues(x, x)).toBe(0);
        if (compareValues(x, y) <= 0 && compareValues(y, z) <= 0) expect(compareValues(x, z)).toBeLessThanOrEqual(0);
      }),
      runs(300),
    );
  });

  it('isWellFormed finds lone surrogates', () => {
    expect(isWellFormed('')).toBe(true);
    expect(isWellFormed('a😀é')).toBe(true);
    expect(isWellFormed('\ud83d\ude00')).toBe(true);
    expect(isWellFormed('\ud83d')).toBe(false);
    expect(isWellFormed('\ude00\ud83d')).toBe(false);
    expect(isWellFormed('a\udc00')).toBe(false);
  });

  it('valueFromJSON validates and canonicalizes like ingestValue', () => {
    const v = valueFromJSON(JSON.parse('{"b":[1,2.5],"a":-0}'), depth(64));
    expect(JSON.stringify(v)).toBe('{"a":0,"b":[1,2.5]}');
    expect(isDeepFrozen(v)).toBe(true);
    expect(() => valueFromJSON([[[]]], depth(2))).toThrow(RangeError);
  });

  it('writeValue can be called on a Writer shared with other fields', () => {
    const w = new Writer();
    w.uint(300);
    writeValue(w, v0(['a', 1]));
    w.u8(0xee);
    const r = readerOf(w.finish());
    expect(r.uint()).toBe(300);
    expect(readValue(r)).toEqual(['a', 1]);
    expect(r.u8()).toBe(0xee);
    r.done();
  });

  function v0(x: unknown): JsonValue {
    return ingestValue(x, 'v', depth(64));
  }
});
