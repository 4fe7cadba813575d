import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/codec/index.js';
import {
  decodeRichTextOp,
  decodeTextOp,
  encodeRichTextOp,
  encodeTextOp,
  opFromJSON,
  opToJSON,
  richText,
  text,
} from '../../src/ot/index.js';
import { encodeFrame } from '../../src/codec/index.js';
import { richTextOpCodec, textOpCodec } from '../../src/ot/index.js';
import { runs } from '../helpers/property.js';
import { richCase, textCase } from './arbitraries.js';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return e instanceof DecodeError ? e.code : `threw ${String(e)}`;
  }
  return 'accepted';
}

describe('binary twin of ops', () => {
  it('plain-text ops round-trip through bytes and the JSON twin, in normal form', () => {
    fc.assert(
      fc.property(textCase(), ({ a }) => {
        const bytes = encodeTextOp(a);
        expect(decodeTextOp(bytes)).toEqual(text.normalize(a));
        const json = opToJSON(bytes);
        expect(json).toEqual({ format: 'tandem', version: 1, type: 'text-op', payload: text.normalize(a) });
        expect(opFromJSON(JSON.parse(JSON.stringify(json)))).toEqual(bytes);
      }),
      runs(300),
    );
  });

  it('rich-text ops round-trip through bytes and the JSON twin, in normal form', () => {
    fc.assert(
      fc.property(richCase(), ({ a }) => {
        const bytes = encodeRichTextOp(a);
        expect(decodeRichTextOp(bytes)).toEqual(richText.normalize(a));
        const json = opToJSON(bytes);
        expect(json.type).toBe('rich-text-op');
        expect(json.payload).toEqual(richText.normalize(a));
        expect(opFromJSON(JSON.parse(JSON.stringify(json)))).toEqual(bytes);
      }),
      runs(300),
    );
  });

  it('refuses every truncation and every single bit flip with a DecodeError', () => {
    fc.assert(
      fc.property(richCase(), fc.nat(), ({ a }, seed) => {
        const bytes = encodeRichTextOp(a);
        const cut = seed % bytes.length;
        expect(codeOf(() => decodeRichTextOp(bytes.subarray(0, cut)))).not.toMatch(/^(accepted|threw)/);
        const flipped = bytes.slice();
        flipped[seed % bytes.length]! ^= 1 << (seed % 8);
        expect(codeOf(() => decodeRichTextOp(flipped))).not.toMatch(/^(accepted|threw)/);
      }),
      runs(300),
    );
  });

  it('refuses a frame of the other op type', () => {
    expect(codeOf(() => decodeTextOp(encodeRichTextOp([{ insert: 'a' }])))).toBe('type-mismatch');
    expect(codeOf(() => decodeRichTextOp(encodeTextOp([{ insert: 'a' }])))).toBe('type-mismatch');
  });

  it('refuses ops that are not in normal form, so one op has one encoding', () => {
    const nonCanonical = [
      [{ retain: 1 }, { retain: 1 }, { insert: 'x' }],
      [{ insert: 'a' }, { insert: 'b' }],
      [{ delete: 1 }, { insert: 'a' }],
      [{ delete: 1 }, { delete: 1 }],
      [{ insert: 'a' }, { retain: 2 }],
    ];
    for (const op of nonCanonical) {
      const bytes = encodeFrame(textOpCodec, op);
      expect(codeOf(() => decodeTextOp(bytes))).toBe('non-canonical');
      expect(codeOf(() => opFromJSON({ format: 'tandem', version: 1, type: 'text-op', payload: op }))).toBe('non-canonical');
    }
    const equalAttributes = [
      { retain: 1, attributes: { bold: true } },
      { retain: 1, attributes: { bold: true } },
    ];
    expect(codeOf(() => decodeRichTextOp(encodeFrame(richTextOpCodec, equalAttributes)))).toBe('non-canonical');
    expect(codeOf(() => decodeRichTextOp(encodeFrame(richTextOpCodec, [{ retain: 1, attributes: {} }])))).toBe('non-canonical');
  });

  it('refuses a JSON twin whose payload is not a valid op', () => {
    for (const payload of [[{ retain: -1 }], [{ insert: '' }], [{ retain: 1, attributes: { b: 1 } }], 'x']) {
      expect(codeOf(() => opFromJSON({ format: 'tandem', version: 1, type: 'text-op', payload }))).toBe('invalid-value');
    }
    expect(codeOf(() => opFromJSON({ format: 'tandem', version: 1, type: 'rich-text-op', payload: [{ insert: 'a', attributes: { b: null } }] }))).toBe(
      'invalid-value',
    );
  });

  it('encodes a small op compactly', () => {
    // magic, version, tag, length, count, retain 5, insert "!", CRC.
    expect(Buffer.from(encodeTextOp([{ retain: 5 }, { insert: '!' }])).toString('hex')).toBe(
      Buffer.from(opFromJSON({ format: 'tandem', version: 1, type: 'text-op', payload: [{ retain: 5 }, { insert: '!' }] })).toString('hex'),
    );
    expect(encodeTextOp([{ retain: 5 }, { insert: '!' }]).length).toBe(4 + 1 + 1 + 2 + 3 + 4);
  });
});

describe('FORMAT.md section 4.7', () => {
  it('its examples are what the encoder writes', () => {
    const doc = readFileSync(new URL('../../FORMAT.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### 4.7'), doc.indexOf('## 5.'));
    const hexes = [...section.matchAll(/```\n([0-9a-f ]+)\n```/g)].map((m) => m[1]!.replace(/ /g, ''));
    expect(hexes).toEqual([
      Buffer.from(encodeTextOp([{ retain: 5 }, { insert: '!' }])).toString('hex'),
      Buffer.from(
        encodeRichTextOp([{ retain: 7, attributes: { bold: null } }, { insert: 'Hi', attributes: { color: 'red' } }, { delete: 2 }]),
      ).toString('hex'),
    ]);
  });
});
