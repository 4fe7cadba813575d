/**
 * `str` and `bytes` (FORMAT.md section 1): UTF-8 round trips, a leading BOM that must
 * survive, lone surrogates refused on write, malformed UTF-8 refused on read, and
 * lengths checked against what remains and against `maxStringBytes`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, Reader, Writer, resolveLimits, utf8Length } from '../../src/codec/index.js';
import { concat, expectDecodeError, hex, leb128, readerOf, runs, sameBytes, utf8, written } from './helpers.js';

/** The encoding FORMAT.md prescribes: uint byte length, then the UTF-8 bytes. */
function expectedStr(s: string): number[] {
  const bytes = utf8(s);
  return [...leb128(BigInt(bytes.length)), ...bytes];
}

function roundTrip(s: string): void {
  const out = written((w) => w.str(s));
  const encoded = new TextEncoder().encode(s);
  const expected = concat(leb128(BigInt(encoded.length)), encoded);
  if (out.length > 200) expect(sameBytes(out, expected), 'bytes equal the reference').toBe(true);
  else expect(hex(out)).toBe(hex(expected));
  expect(utf8Length(s)).toBe(encoded.length);
  const r = readerOf(out);
  const back = r.str();
  expect(back === s, `round trip of a ${s.length}-unit string`).toBe(true);
  expect(r.remaining).toBe(0);
}

const LONE_SURROGATES = [
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  'a\ud800b',
  'a\udc00b',
  '\udc00\ud800',
  'x\ud83d',
  '\ude00x',
  'é\ud800',
  'x'.repeat(40) + '\ud800',
  '😀'.repeat(10) + '\udfff',
];

describe('Writer.str / Reader.str', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'hello, world'],
    ['NUL and control bytes', '\u0000\u0001\u001f\u007f'],
    ['32 ASCII bytes (longest short string)', 'a'.repeat(32)],
    ['33 ASCII bytes', 'a'.repeat(33)],
    ['two-byte', 'é ü ß ñ'],
    ['three-byte BMP', '€ 中文 日本語 \u0800 \uffff'],
    ['astral emoji', '😀🎉👩‍👩‍👧'],
    ['highest code point', '\u{10ffff}'],
    ['mixed, over 32 bytes', 'ASCII then é then 中 then 😀, repeated: ' + 'aé中😀'.repeat(20)],
    ['short non-ASCII after ASCII', 'abcé'],
  ])('round-trips %s', (_, s) => {
    roundTrip(s);
  });

  it.each([
    ['alone', '\ufeff'],
    ['before text', '\ufeffhello'],
    ['before non-ASCII', '\ufeffé'],
    ['twice', '\ufeff\ufeffx'],
    ['in the middle', 'a\ufeffb'],
    ['in a long string', '\ufeff' + 'z'.repeat(100)],
  ])('keeps a byte order mark %s', (_, s) => {
    const out = written((w) => w.str(s));
    expect(hex(out)).toBe(hex(expectedStr(s)));
    const back = readerOf(out).str();
    expect(back).toBe(s);
    expect(back.length).toBe(s.length);
    if (s.startsWith('\ufeff')) {
      expect(back.charCodeAt(0)).toBe(0xfeff);
      expect(hex(out.subarray(1, 4))).toBe('ef bb bf');
    }
  });

  it('round-trips 1 MB strings: ASCII, two-byte, and astral', () => {
    roundTrip('abcdefghij'.repeat(100_000));
    roundTrip('é'.repeat(500_000));
    roundTrip('😀'.repeat(250_000));
  });

  it('writes several strings back to back, each read in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 50 }), { maxLength: 10 }), (strings) => {
        const out = written((w) => strings.forEach((s) => w.str(s)));
        expect(hex(out)).toBe(hex(strings.flatMap(expectedStr)));
        const r = readerOf(out);
        for (const s of strings) expect(r.str()).toBe(s);
        r.done();
      }),
      runs(150),
    );
  });

  it('round-trips any well-formed string, byte-identical to TextEncoder (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 80 }),
          fc.string({ unit: 'grapheme', maxLength: 80 }),
          fc.string({ unit: 'binary-ascii', maxLength: 80 }),
        ),
        (s) => roundTrip(s),
      ),
      runs(1000),
    );
  });

  it.each(LONE_SURROGATES.map((s) => [JSON.stringify(s).slice(0, 30), s]))(
    'refuses the lone surrogate in %s with a TypeError, writing nothing',
    (_, s) => {
      const w = new Writer();
      w.u8(0x42);
      expect(() => w.str(s)).toThrow(TypeError);
      expect(hex(w.finish())).toBe('42');
      expect(() => utf8Length(s)).toThrow(TypeError);
    },
  );

  it('refuses a lone surrogate inserted anywhere in a well-formed string (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.integer({ min: 0xd800, max: 0xdfff }),
        (before, after, unit) => {
          // A high surrogate is only lone if no low one follows, and vice versa.
          const lone = String.fromCharCode(unit);
          const s = unit <= 0xdbff ? `${before}${lone}x${after}` : `${before}x${lone}${after}`;
          expect(() => new Writer().str(s)).toThrow(TypeError);
        },
      ),
      runs(500),
    );
  });

  it.each([
    ['an overlong NUL', [0xc0, 0x80]],
    ['an overlong slash', [0xc1, 0xbf]],
    ['an encoded high surrogate', [0xed, 0xa0, 0x80]],
    ['an encoded low surrogate', [0xed, 0xbf, 0xbf]],
    ['an encoded surrogate pair', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
    ['0xFF', [0xff]],
    ['0xFE', [0xfe]],
    ['a lone continuation byte', [0x80]],
    ['a truncated two-byte sequence', [0xc3]],
    ['a truncated four-byte sequence', [0xf0, 0x9f, 0x98]],
    ['an overlong three-byte form', [0xe0, 0x80, 0x80]],
    ['an overlong four-byte form', [0xf0, 0x80, 0x80, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a five-byte form', [0xf8, 0x88, 0x80, 0x80, 0x80]],
    ['invalid bytes after ASCII', [0x61, 0x62, 0xff]],
    ['invalid bytes after 40 ASCII bytes', [...utf8('a'.repeat(40)), 0xc0, 0x80]],
    ['invalid bytes after valid multi-byte text', [...utf8('é中😀'), 0xed, 0xa0, 0x80]],
  ])('refuses %s as invalid-value', (_, body) => {
    const bytes = [...leb128(BigInt(body.length)), ...body];
    expectDecodeError(() => readerOf(bytes).str(), 'invalid-value');
  });

  it('never throws anything but a DecodeError on random bytes, and what it accepts re-encodes identically (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (body) => {
        const bytes = concat(leb128(BigInt(body.length)), body);
        let s: string;
        try {
          s = readerOf(bytes).str();
        } catch (e) {
          expect(e).toMatchObject({ name: 'DecodeError', code: 'invalid-value' });
          return;
        }
        expect(hex(written((w) => w.str(s)))).toBe(hex(bytes));
      }),
      runs(1000),
    );
  });

  it('refuses a length beyond the bytes that remain', () => {
    expectDecodeError(() => readerOf([0x05, 0x61, 0x62]).str(), 'length-out-of-range');
    expectDecodeError(() => readerOf([0x01]).str(), 'length-out-of-range');
    expectDecodeError(() => readerOf([0x80, 0x01, 0x61]).str(), 'length-out-of-range');
    expectDecodeError(() => readerOf([]).str(), 'truncated');
  });

  it('measures what remains against the end of its range, not the buffer', () => {
    const bytes = Uint8Array.from([0x03, 0x61, 0x62, 0x63]);
    expectDecodeError(() => new Reader(bytes, DEFAULT_LIMITS, 0, 3).str(), 'length-out-of-range');
    expect(new Reader(bytes, DEFAULT_LIMITS, 0, 4).str()).toBe('abc');
  });

  it('refuses a length beyond maxStringBytes, counted in bytes, before looking at the content', () => {
    const limits = resolveLimits({ maxStringBytes: 4 });
    expect(readerOf(expectedStr('abcd'), limits).str()).toBe('abcd');
    expect(readerOf(expectedStr('éé'), limits).str()).toBe('éé');
    expectDecodeError(() => readerOf(expectedStr('abcde'), limits).str(), 'limit-exceeded');
    // Two characters, six bytes.
    expectDecodeError(() => readerOf(expectedStr('€€'), limits).str(), 'limit-exceeded');
    // The limit is checked before the remaining length and before the UTF-8.
    expectDecodeError(() => readerOf([0x05, 0x61], limits).str(), 'limit-exceeded');
    expectDecodeError(() => readerOf([0x05, 0xff, 0xff, 0xff, 0xff, 0xff], limits).str(), 'limit-exceeded');
  });

  it('refuses a huge declared length with the default limits as limit-exceeded', () => {
    expectDecodeError(() => readerOf(leb128(2n ** 53n - 1n)).str(), 'limit-exceeded');
    expectDecodeError(() => readerOf(leb128(BigInt(DEFAULT_LIMITS.maxStringBytes + 1))).str(), 'limit-exceeded');
    expectDecodeError(() => readerOf(leb128(BigInt(DEFAULT_LIMITS.maxStringBytes))).str(), 'length-out-of-range');
  });

  it('reads from a view with a non-zero byte offset', () => {
    const backing = concat([0xaa, 0xbb, 0xcc], expectedStr('hé😀'), [0xdd]);
    const view = backing.subarray(3, backing.length - 1);
    const r = new Reader(view, DEFAULT_LIMITS);
    expect(r.str()).toBe('hé😀');
    r.done();
  });
});

describe('Writer.bytes / Reader.byteArray', () => {
  it('round-trips byte arrays of any length (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const out = written((w) => w.bytes(b));
        expect(hex(out)).toBe(hex([...leb128(BigInt(b.length)), ...b]));
        const r = readerOf(out);
        expect(hex(r.byteArray())).toBe(hex(b));
        r.done();
      }),
      runs(300),
    );
  });

  it('returns a copy, independent of the input buffer', () => {
    const bytes = Uint8Array.from([0x02, 0x10, 0x20]);
    const out = readerOf(bytes).byteArray();
    bytes[1] = 0x99;
    expect(hex(out)).toBe('10 20');
  });

  it('checks the length against what remains and against maxStringBytes', () => {
    expectDecodeError(() => readerOf([0x03, 0x01, 0x02]).byteArray(), 'length-out-of-range');
    const limits = resolveLimits({ maxStringBytes: 2 });
    expect(hex(readerOf([0x02, 0x01, 0x02], limits).byteArray())).toBe('01 02');
    expectDecodeError(() => readerOf([0x03, 0x01, 0x02, 0x03], limits).byteArray(), 'limit-exceeded');
  });

  it('writes raw bytes without a prefix', () => {
    expect(hex(written((w) => w.raw(Uint8Array.from([1, 2, 3]))))).toBe('01 02 03');
  });
});

describe('Writer buffer growth', () => {
  it('grows from a small initial capacity and keeps earlier bytes', () => {
    const w = new Writer(1);
    const expected: number[] = [];
    for (let i = 0; i < 1000; i++) {
      w.u8(i & 0xff);
      w.uint(i * 1000);
      w.str('é'.repeat(i % 7));
      expected.push(i & 0xff, ...leb128(BigInt(i * 1000)), ...expectedStr('é'.repeat(i % 7)));
    }
    expect(w.pos).toBe(expected.length);
    expect(hex(w.finish())).toBe(hex(expected));
  });

  it('finish() returns a copy; written() a view of the same bytes', () => {
    const w = new Writer();
    w.str('abc');
    const copy = w.finish();
    const view = w.written();
    expect(hex(view)).toBe(hex(copy));
    w.u32At(0, 0xffffffff);
    expect(hex(copy)).toBe('03 61 62 63');
  });

  it('reserve() and u32At() fill a little-endian slot', () => {
    const w = new Writer(2);
    w.u8(0x01);
    const at = w.reserve(4);
    w.u8(0x02);
    w.u32At(at, 0x11223344);
    expect(hex(w.finish())).toBe('01 44 33 22 11 02');
  });
});
