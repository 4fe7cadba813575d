/**
 * Differential tests: on random ops, Tandem computes what Quill Delta (rich text) and
 * ot-text-unicode (plain text) compute. text-unicode counts code points, so those cases
 * use text inside the Basic Multilingual Plane, where code points and code units agree.
 */
import fc from 'fast-check';
import Delta from 'quill-delta';
import { type as unicode, type TextOp as UnicodeOp } from 'ot-text-unicode';
import { describe, expect, it } from 'vitest';
import { richText, text, type Component, type TextOp } from '../../src/ot/index.js';
import { runs } from '../helpers/property.js';
import { quillCanonical, richCase, textCase } from './arbitraries.js';

const quill = (op: readonly Component[]): Delta => new Delta(op as Delta['ops']);

describe('rich text agrees with quill-delta', () => {
  it('apply = Delta#compose of the document with the op', () => {
    fc.assert(
      fc.property(richCase(), ({ doc, a }) => {
        expect(richText.apply(doc, a)).toEqual(quillCanonical(quill(doc).compose(quill(a)).ops as Component[]));
      }),
      runs(300),
    );
  });

  it('compose = Delta#compose', () => {
    fc.assert(
      fc.property(richCase(), ({ a, bAfterA }) => {
        expect(richText.compose(a, bAfterA)).toEqual(quillCanonical(quill(a).compose(quill(bAfterA)).ops as Component[]));
      }),
      runs(300),
    );
  });

  it("transform(a, b, side) = b.transform(a, side === 'right')", () => {
    fc.assert(
      fc.property(richCase(), fc.constantFrom('left' as const, 'right' as const), ({ a, b }, side) => {
        expect(richText.transform(a, b, side)).toEqual(quillCanonical(quill(b).transform(quill(a), side === 'right').ops as Component[]));
      }),
      runs(300),
    );
  });

  it('invert undoes the op as Delta#invert does', () => {
    fc.assert(
      fc.property(richCase(), ({ doc, a }) => {
        const after = richText.apply(doc, a);
        const theirs = quillCanonical(quill(a).invert(quill(doc)).ops as Component[]);
        expect(richText.apply(after, richText.invert(a, doc))).toEqual(richText.apply(after, theirs));
      }),
      runs(300),
    );
  });

  it('normalize = what Delta builds from the same components', () => {
    fc.assert(
      fc.property(richCase(), ({ a }) => {
        expect(richText.normalize(a)).toEqual(quillCanonical(a));
      }),
      runs(300),
    );
  });
});

/**
 * Our op in text-unicode's form: retains as numbers, inserts as strings, deletes as {d}.
 * text-unicode takes only normalized ops (no trailing retain, no adjacent twins).
 */
function toUnicode(op: TextOp): UnicodeOp {
  return text.normalize(op).map((c) => ('retain' in c ? c.retain : 'insert' in c ? c.insert : { d: c.delete }));
}

/** A text-unicode op in ours, normalized by Tandem. */
function fromUnicode(op: UnicodeOp): TextOp {
  return text.normalize(
    op.map((c) => (typeof c === 'number' ? { retain: c } : typeof c === 'string' ? { insert: c } : { delete: typeof c.d === 'number' ? c.d : c.d.length })),
  );
}

describe('plain text agrees with ot-text-unicode on BMP text', () => {
  it('apply', () => {
    fc.assert(
      fc.property(textCase(true), ({ doc, a }) => {
        expect(text.apply(doc, a)).toBe(unicode.apply(doc, toUnicode(a)));
      }),
      runs(300),
    );
  });

  it('compose', () => {
    fc.assert(
      fc.property(textCase(true), ({ a, bAfterA }) => {
        expect(text.compose(a, bAfterA)).toEqual(fromUnicode(unicode.compose(toUnicode(a), toUnicode(bAfterA))));
      }),
      runs(300),
    );
  });

  it('transform, with the same meaning of side', () => {
    fc.assert(
      fc.property(textCase(true), fc.constantFrom('left' as const, 'right' as const), ({ a, b }, side) => {
        // Equivalent ops can transform differently where inserts meet a delete ([insert x,
        // delete 1, insert y] vs [insert xy, delete 1]), so both libraries get the same,
        // normalized, ops.
        const [na, nb] = [text.normalize(a), text.normalize(b)];
        expect(text.transform(na, nb, side)).toEqual(fromUnicode(unicode.transform(toUnicode(na), toUnicode(nb), side)));
      }),
      runs(300),
    );
  });
});
