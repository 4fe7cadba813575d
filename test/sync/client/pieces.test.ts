import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, resolveBackoff } from '../../../src/sync/backoff.js';
import { EventStreamParser } from '../../../src/sync/event-stream.js';
import { IndexedDBStorage } from '../../../src/sync/indexeddb-storage.js';
import { decodeSaved, encodeSaved } from '../../../src/sync/saved-document.js';
import { concatRecords, decodeBase64, splitRecords } from '../../../src/sync/sse-transport.js';
import { MemoryStorage } from '../../../src/sync/storage.js';
import { runs } from '../../helpers/property.js';

describe('backoff', () => {
  it('every delay lies in [0, min(cap, base · factor^n)) and the ceiling never decreases', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (base, factor, extra, attempt, random) => {
          const backoff = resolveBackoff({ base, factor, cap: base + extra });
          const delay = backoffDelay(attempt, backoff, random);
          const ceiling = backoffCeiling(attempt, backoff);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling + 1e-9);
          expect(ceiling).toBeLessThanOrEqual(base + extra);
          expect(backoffCeiling(attempt + 1, backoff)).toBeGreaterThanOrEqual(ceiling);
        },
      ),
      runs(200),
    );
  });

  it('defaults to 250 ms doubling to a 10 s cap', () => {
    const backoff = resolveBackoff();
    expect([0, 1, 2, 5, 6, 50].map((n) => backoffCeiling(n, backoff))).toEqual([250, 500, 1000, 8000, 10_000, 10_000]);
    expect(backoffDelay(3, backoff, 0.5)).toBe(1000);
  });

  it('refuses options and arguments that break the rules, naming them', () => {
    expect(() => resolveBackoff({ base: 0 })).toThrow(/base/);
    expect(() => resolveBackoff({ factor: 0.5 })).toThrow(/factor/);
    expect(() => resolveBackoff({ base: 100, cap: 50 })).toThrow(/cap/);
    expect(() => backoffDelay(-1, resolveBackoff())).toThrow(/attempt/);
    expect(() => backoffDelay(0, resolveBackoff(), 1)).toThrow(/random/);
  });
});

describe('EventStreamParser', () => {
  const stream = 'event: session\ndata: s1\n\n: comment\ndata: AAEC\n\ndata:line1\r\ndata: line2\r\n\r\nid: 7\nretry: 10\ndata\n\nevent: ignored\n\n';
  const expected = [
    { type: 'session', data: 's1' },
    { type: 'message', data: 'AAEC' },
    { type: 'message', data: 'line1\nline2' },
    { type: 'message', data: '' },
  ];

  it('parses fields, comments, multi-line data and every line ending', () => {
    expect(new EventStreamParser().push(stream)).toEqual(expected);
    expect(new EventStreamParser().push(stream.replace(/\r?\n/g, '\r'))).toEqual(expected);
  });

  it('gives the same events however the text is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { minLength: 1, maxLength: 24 }), fc.constantFrom('\n', '\r', '\r\n'), (cuts, eol) => {
        const text = stream.replace(/\r?\n/g, eol);
        // Repeated cut points make empty chunks, as a stream reader may deliver.
        const points = cuts.map((c) => Math.min(c, text.length)).sort((a, b) => a - b);
        const parser = new EventStreamParser();
        const events = [];
        let at = 0;
        for (const point of [...points, text.length, text.length]) {
          events.push(...parser.push(text.slice(at, point)));
          at = point;
        }
        expect(events).toEqual(expected);
      }),
      runs(300),
    );
  });

  it('a CRLF split across chunks, with an empty chunk between, is one line end', () => {
    const parser = new EventStreamParser();
    const events = [...parser.push('data: a\r'), ...parser.push(''), ...parser.push('\ndata: b\r\n\r\n')];
    expect(events).toEqual([{ type: 'message', data: 'a\nb' }]);
  });

  it('refuses an event longer than its limit instead of buffering it', () => {
    const parser = new EventStreamParser(16);
    expect(() => parser.push(`data: ${'x'.repeat(20)}\n`)).toThrow(RangeError);
    expect(() => new EventStreamParser(16).push('data: 0123456789ABCDEFGHIJ')).toThrow(RangeError);
  });
});

describe('POST records and base64', () => {
  it('records round-trip any frames', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), (frames) => {
        expect(splitRecords(concatRecords(frames)).map((f) => Array.from(f))).toEqual(frames.map((f) => Array.from(f)));
      }),
      runs(200),
    );
  });

  it('a cut record is an error naming where', () => {
    const body = concatRecords([new Uint8Array([1, 2, 3])]);
    expect(() => splitRecords(body.subarray(0, 5))).toThrow(/claims 3 bytes/);
    expect(() => splitRecords(body.subarray(0, 2))).toThrow(/cut short/);
  });

  it('decodes base64 and refuses what is not', () => {
    expect(Array.from(decodeBase64(Buffer.from([0, 255, 7]).toString('base64')))).toEqual([0, 255, 7]);
    expect(() => decodeBase64('not base64!')).toThrow(TypeError);
  });
});

describe('storage', () => {
  it('MemoryStorage copies values in and out and lists keys by prefix', async () => {
    const storage = new MemoryStorage();
    const value = new Uint8Array([1, 2]);
    await storage.set('doc:a', value);
    await storage.set('doc:b', new Uint8Array([3]));
    await storage.set('client', new Uint8Array([4]));
    value[0] = 9;
    const read = (await storage.get('doc:a'))!;
    read[1] = 9;
    expect(Array.from((await storage.get('doc:a'))!)).toEqual([1, 2]);
    expect((await storage.keys('doc:')).sort()).toEqual(['doc:a', 'doc:b']);
    await storage.delete('doc:a');
    expect(await storage.get('doc:a')).toBeUndefined();
  });

  it('IndexedDBStorage says it is unavailable in Node and fails with a clear error', async () => {
    expect(IndexedDBStorage.available()).toBe(false);
    await expect(new IndexedDBStorage('x').get('k')).rejects.toThrow(/IndexedDB is not available/);
  });

  it('a saved document round-trips, and a damaged one is a TypeError naming the document', () => {
    const header = { format: 1, kind: 'replicated', type: 'text', confirmed: { a: 2 }, marks: [3, 4] } as const;
    const bytes = encodeSaved(header, new Uint8Array([7, 8]));
    const back = decodeSaved(bytes, 'notes');
    expect(back.header).toEqual(header);
    expect(Array.from(back.state)).toEqual([7, 8]);
    expect(() => decodeSaved(bytes.subarray(0, 10), 'notes')).toThrow(/"notes" is cut short/);
    expect(() => decodeSaved(encodeSaved({ ...header, marks: [0] }), 'notes')).toThrow(/malformed/);
    const bad = bytes.slice();
    bad[4] = 0x20;
    bad[5] = 0x7b;
    expect(() => decodeSaved(bad, 'notes')).toThrow(TypeError);
  });
});
