/**
 * Replica ids and the replica table (FORMAT.md section 1.2): id validation, a sorted
 * table of unique ids, refs into it, and the rule that every entry is referenced.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  MAX_REPLICA_ID_BYTES,
  ReplicaTableReader,
  ReplicaTableWriter,
  Writer,
  checkReplicaId,
  replicaIdProblem,
  resolveLimits,
  utf8Length,
} from '../../src/codec/index.js';
import { expectDecodeError, hex, leb128, readerOf, runs, utf8, written } from './helpers.js';

/** The bytes of a replica table listing `ids` in the order given. */
function table(ids: readonly string[]): number[] {
  return [...leb128(BigInt(ids.length)), ...ids.flatMap((id) => [...leb128(BigInt(utf8(id).length)), ...utf8(id)])];
}

const validIds = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 16 })
  .filter((id) => utf8Length(id) <= MAX_REPLICA_ID_BYTES);

describe('checkReplicaId', () => {
  it.each<[string, string]>([
    ['one byte', 'a'],
    ['64 ASCII bytes', 'x'.repeat(64)],
    ['16 four-byte emoji (64 bytes, 32 UTF-16 units)', '😀'.repeat(16)],
    ['32 two-byte characters (64 bytes)', 'é'.repeat(32)],
    ['21 three-byte characters (63 bytes)', '中'.repeat(21)],
    ['a UUID', '6f1c0c52-3b7e-4c5e-9d2a-1b9d2f7e8a10'],
    ['whitespace and NUL', ' \u0000\t'],
    ['a byte order mark', '\ufeff'],
  ])('accepts %s and returns it', (_, id) => {
    expect(checkReplicaId(id)).toBe(id);
    expect(replicaIdProblem(id)).toBeUndefined();
  });

  it.each<[string, string]>([
    ['the empty string', ''],
    ['65 ASCII bytes', 'x'.repeat(65)],
    ['22 three-byte characters (66 bytes)', '中'.repeat(22)],
    ['33 two-byte characters (66 bytes)', 'é'.repeat(33)],
    ['17 emoji (68 bytes)', '😀'.repeat(17)],
    ['63 ASCII bytes and a two-byte character (65 bytes)', 'x'.repeat(63) + 'é'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate after text', 'alice\udc00'],
    ['a long string with a lone surrogate', 'x'.repeat(100) + '\ud800'],
  ])('refuses %s with a RangeError', (_, id) => {
    expect(() => checkReplicaId(id)).toThrow(RangeError);
    expect(replicaIdProblem(id)).toEqual(expect.any(String));
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { id: 'a' }],
    ['an array', ['a']],
    ['a symbol', Symbol('a')],
    ['a boxed string', Object('alice')],
  ])('refuses %s with a TypeError', (_, id) => {
    expect(() => checkReplicaId(id)).toThrow(TypeError);
    expect(replicaIdProblem(id)).toEqual(expect.any(String));
  });

  it('names the argument in its messages', () => {
    expect(() => checkReplicaId('', 'options.replica')).toThrow(/options\.replica/);
    expect(() => checkReplicaId(5, 'options.replica')).toThrow(/options\.replica/);
  });

  it('agrees with the UTF-8 byte length on every boundary (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 70 }), (id) => {
        const valid = utf8(id).length <= 64;
        expect(replicaIdProblem(id) === undefined).toBe(valid);
        if (valid) expect(checkReplicaId(id)).toBe(id);
        else expect(() => checkReplicaId(id)).toThrow(RangeError);
      }),
      runs(500),
    );
  });
});

describe('ReplicaTableWriter / ReplicaTableReader', () => {
  it('writes the noted ids once each, sorted by UTF-16 code units', () => {
    const tw = new ReplicaTableWriter();
    for (const id of ['carol', 'alice', '\uff61', 'bob', 'alice', '\u{1f600}', 'Zed']) tw.add(id);
    const out = written((w) => tw.write(w));
    expect(hex(out)).toBe(hex(table(['Zed', 'alice', 'bob', 'carol', '\u{1f600}', '\uff61'])));
  });

  it('writes an empty table as a zero count, which reads back and finishes', () => {
    const out = written((w) => new ReplicaTableWriter().write(w));
    expect(hex(out)).toBe('00');
    const r = readerOf(out);
    const t = new ReplicaTableReader(r);
    expect(t.ids).toEqual([]);
    t.finish(r);
    r.done();
  });

  it('round-trips a table and refs to every entry (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(validIds, { minLength: 1, maxLength: 12 }).chain((ids) =>
          fc.tuple(fc.constant(ids), fc.shuffledSubarray(ids, { minLength: ids.length }), fc.array(fc.constantFrom(...ids), { maxLength: 20 })),
        ),
        ([ids, order, extraRefs]) => {
          const tw = new ReplicaTableWriter();
          for (const id of order) tw.add(id);
          for (const id of extraRefs) tw.add(id);
          const refs = [...order, ...extraRefs];
          const w = new Writer();
          tw.write(w);
          for (const id of refs) tw.ref(w, id);
          const sorted = [...ids].sort();

          const r = readerOf(w.finish());
          const t = new ReplicaTableReader(r);
          expect(t.ids).toEqual(sorted);
          for (const id of refs) expect(t.ref(r)).toBe(id);
          t.finish(r);
          r.done();
        },
      ),
      runs(300),
    );
  });

  it('reads refs as indices with refIndex, and marks entries used through use()', () => {
    const r = readerOf([...table(['a', 'b', 'c']), 0x02, 0x00]);
    const t = new ReplicaTableReader(r);
    expect(t.refIndex(r)).toBe(2);
    expect(t.refIndex(r)).toBe(0);
    expectDecodeError(() => t.finish(r), 'non-canonical');
    t.use(1);
    t.finish(r);
    r.done();
  });

  it.each<[string, string[]]>([
    ['out of order', ['bob', 'alice']],
    ['with a duplicate', ['alice', 'alice']],
    ['in code-point order instead of UTF-16 order', ['\uff61', '\u{1f600}']],
    ['out of order after a valid prefix', ['a', 'b', 'd', 'c']],
  ])('refuses a table %s (non-canonical)', (_, ids) => {
    expectDecodeError(() => new ReplicaTableReader(readerOf(table(ids))), 'non-canonical');
  });

  it.each<[string, number[]]>([
    // A trailing byte, so that the count passes its 2-bytes-per-id check.
    ['an empty id', [...table(['']), 0x00]],
    ['a 65-byte id', table(['x'.repeat(65)])],
    ['a 66-byte id of three-byte characters', table(['中'.repeat(22)])],
    ['an id of invalid UTF-8', [0x01, 0x02, 0xc0, 0x80]],
    ['an encoded surrogate', [0x01, 0x03, 0xed, 0xa0, 0x80]],
  ])('refuses %s in the table (invalid-value)', (_, bytes) => {
    expectDecodeError(() => new ReplicaTableReader(readerOf(bytes)), 'invalid-value');
  });

  it('accepts the longest ids, 64 bytes', () => {
    const ids = ['x'.repeat(64), '😀'.repeat(16)];
    const r = readerOf(table(ids));
    expect(new ReplicaTableReader(r).ids).toEqual(ids);
  });

  it('refuses a table count that cannot fit (each id needs 2 bytes) or exceeds maxItems', () => {
    expectDecodeError(() => new ReplicaTableReader(readerOf([0x02, 0x01, 0x61])), 'length-out-of-range');
    expectDecodeError(() => new ReplicaTableReader(readerOf([...leb128(2n ** 40n), 0x01, 0x61])), 'length-out-of-range');
    expectDecodeError(() => new ReplicaTableReader(readerOf(table(['a', 'b', 'c']), resolveLimits({ maxItems: 2 }))), 'limit-exceeded');
    expectDecodeError(() => new ReplicaTableReader(readerOf([0x02, 0x01, 0x61, 0x05, 0x62])), 'length-out-of-range');
  });

  it('refuses a table entry that was never referenced, at finish()', () => {
    const r = readerOf([...table(['alice', 'bob']), 0x01]);
    const t = new ReplicaTableReader(r);
    expect(t.ref(r)).toBe('bob');
    const e = expectDecodeError(() => t.finish(r), 'non-canonical');
    expect(e.message).toContain('alice');
  });

  it('refuses a ref outside the table (invalid-value), through ref and refIndex', () => {
    for (const read of ['ref', 'refIndex'] as const) {
      const r = readerOf([...table(['a', 'b']), 0x02]);
      const t = new ReplicaTableReader(r);
      expectDecodeError(() => t[read](r), 'invalid-value');
    }
    const big = readerOf([...table(['a']), ...leb128(2n ** 53n - 1n)]);
    const t = new ReplicaTableReader(big);
    expectDecodeError(() => t.ref(big), 'invalid-value');
    const empty = readerOf([0x00, 0x00]);
    expectDecodeError(() => new ReplicaTableReader(empty).ref(empty), 'invalid-value');
  });

  it('refuses a malformed ref varint with the varint codes', () => {
    const r = readerOf([...table(['a']), 0x80, 0x00]);
    const t = new ReplicaTableReader(r);
    expectDecodeError(() => t.ref(r), 'non-canonical');
    const cut = readerOf(table(['a']));
    const t2 = new ReplicaTableReader(cut);
    expectDecodeError(() => t2.ref(cut), 'truncated');
  });

  it('refuses to write a ref for an id that was not added, or before the table', () => {
    const tw = new ReplicaTableWriter();
    tw.add('alice');
    const w = new Writer();
    expect(() => tw.ref(w, 'alice')).toThrow(Error);
    tw.write(w);
    expect(() => tw.ref(w, 'bob')).toThrow(Error);
    tw.ref(w, 'alice');
    expect(hex(w.finish())).toBe(hex([...table(['alice']), 0x00]));
  });

  it('uses the limits of its reader for id strings', () => {
    const limits = resolveLimits({ maxStringBytes: 3 });
    expect(new ReplicaTableReader(readerOf(table(['abc']), limits)).ids).toEqual(['abc']);
    expectDecodeError(() => new ReplicaTableReader(readerOf(table(['abcd']), limits)), 'limit-exceeded');
    expect(DEFAULT_LIMITS.maxStringBytes).toBeGreaterThan(MAX_REPLICA_ID_BYTES);
  });
});
