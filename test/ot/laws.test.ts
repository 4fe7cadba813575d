import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { richText, text, type Component } from '../../src/ot/index.js';
import { runs } from '../helpers/property.js';
import { modelApplyRich, modelApplyText, plain, richCase, textCase, type RichCase, type TextCase } from './arbitraries.js';

/** What the law tests need of an op family. */
interface Family<D> {
  readonly name: string;
  readonly cases: fc.Arbitrary<TextCase | RichCase>;
  readonly ops: typeof text | typeof richText;
  /** The reference apply (written apart from `src/ot`). */
  readonly model: (doc: D, op: readonly Component[]) => D;
}

const families: Family<never>[] = [
  { name: 'text', cases: textCase(), ops: text, model: modelApplyText as never },
  { name: 'rich text', cases: richCase(), ops: richText, model: modelApplyRich as never },
];

describe.each(families)('$name laws', ({ cases, ops, model }) => {
  // The families differ only in their document type; the laws read the same for both.
  const apply = ops.apply as (doc: unknown, op: readonly Component[]) => unknown;
  const compose = ops.compose as (a: readonly Component[], b: readonly Component[]) => readonly Component[];
  const transform = ops.transform as (a: readonly Component[], b: readonly Component[], side: 'left' | 'right') => readonly Component[];
  const invert = ops.invert as (op: readonly Component[], doc: unknown) => readonly Component[];
  const normalize = ops.normalize as (op: readonly Component[]) => readonly Component[];

  it('apply agrees with the reference apply', () => {
    fc.assert(
      fc.property(cases, ({ doc, a }) => {
        expect(apply(doc, a)).toEqual(model(doc as never, a));
      }),
      runs(400),
    );
  });

  it('apply(apply(d, a), b) = apply(d, compose(a, b)), and compose returns normalized ops', () => {
    fc.assert(
      fc.property(cases, ({ doc, a, bAfterA }) => {
        const composed = compose(a, bAfterA);
        expect(apply(doc, composed)).toEqual(apply(apply(doc, a), bAfterA));
        expect(normalize(composed)).toEqual(composed);
      }),
      runs(400),
    );
  });

  it('compose is associative', () => {
    fc.assert(
      fc.property(cases, ({ a, bAfterA, cAfterAB }) => {
        expect(compose(compose(a, bAfterA), cAfterAB)).toEqual(compose(a, compose(bAfterA, cAfterAB)));
      }),
      runs(400),
    );
  });

  it("TP1: apply(apply(d, a), transform(b, a, 'right')) = apply(apply(d, b), transform(a, b, 'left'))", () => {
    fc.assert(
      fc.property(cases, ({ doc, a, b }) => {
        const bAfterA = transform(b, a, 'right');
        const aAfterB = transform(a, b, 'left');
        expect(apply(apply(doc, a), bAfterA)).toEqual(apply(apply(doc, b), aAfterB));
        expect(normalize(bAfterA)).toEqual(bAfterA);
        expect(normalize(aAfterB)).toEqual(aAfterB);
      }),
      runs(400),
    );
  });

  it('the left side goes first where both insert at one position', () => {
    fc.assert(
      fc.property(cases, fc.nat(30), ({ doc }, at) => {
        const content = typeof doc === 'string' ? doc : plain(doc as RichCase['doc']);
        let index = Math.min(at, content.length);
        if (/[\udc00-\udfff]/.test(content[index] ?? '')) index--;
        const a: Component[] = index === 0 ? [{ insert: 'A' }] : [{ retain: index }, { insert: 'A' }];
        const b: Component[] = index === 0 ? [{ insert: 'B' }] : [{ retain: index }, { insert: 'B' }];
        const merged = apply(apply(doc, b), transform(a, b, 'left'));
        const expected = index === 0 ? [{ insert: 'AB' }] : [{ retain: index }, { insert: 'AB' }];
        expect(merged).toEqual(apply(doc, expected));
      }),
      runs(100),
    );
  });

  it('apply(apply(d, a), invert(a, d)) = d, and invert returns normalized ops', () => {
    fc.assert(
      fc.property(cases, ({ doc, a }) => {
        const inverse = invert(a, doc);
        expect(apply(apply(doc, a), inverse)).toEqual(doc);
        expect(normalize(inverse)).toEqual(inverse);
      }),
      runs(400),
    );
  });

  it('transformPosition moves a position as transform moves an empty insert there', () => {
    fc.assert(
      fc.property(cases, fc.nat(40), fc.constantFrom('left' as const, 'right' as const), ({ b }, index, side) => {
        const probe: Component[] = index === 0 ? [{ insert: 'X' }] : [{ retain: index }, { insert: 'X' }];
        const moved = transform(probe, b, side);
        const expected = 'retain' in moved[0]! ? moved[0].retain : 0;
        expect(ops.transformPosition(index, b, side)).toBe(expected);
      }),
      runs(400),
    );
  });

  it('normalize is idempotent and keeps what an op does', () => {
    fc.assert(
      fc.property(cases, ({ doc, a }) => {
        const once = normalize(a);
        expect(normalize(once)).toEqual(once);
        expect(apply(doc, once)).toEqual(apply(doc, a));
      }),
      runs(400),
    );
  });
});

describe('examples', () => {
  it('text: compose and transform on a small document', () => {
    const a = [{ retain: 5 }, { insert: '!' }];
    const b = [{ insert: '> ' }];
    expect(text.apply(text.apply('hello', b), text.transform(a, b, 'left'))).toBe('> hello!');
    expect(text.compose([{ retain: 2 }, { insert: 'ab' }], [{ delete: 3 }, { insert: 'x' }])).toEqual([{ insert: 'xb' }, { delete: 2 }]);
    expect(text.invert([{ retain: 1 }, { delete: 2 }, { insert: 'Z' }], 'abcd')).toEqual([{ retain: 1 }, { insert: 'bc' }, { delete: 1 }]);
  });

  it('rich text: attributes compose, transform and invert as in Quill', () => {
    const doc = [{ insert: 'Gandalf', attributes: { bold: true } }, { insert: ' the Grey' }];
    const op = [{ retain: 7, attributes: { bold: null } }, { retain: 5 }, { insert: 'White', attributes: { color: '#fff' } }, { delete: 4 }];
    expect(richText.apply(doc, op)).toEqual([{ insert: 'Gandalf the ' }, { insert: 'White', attributes: { color: '#fff' } }]);
    expect(richText.invert(op, doc)).toEqual([{ retain: 7, attributes: { bold: true } }, { retain: 5 }, { insert: 'Grey' }, { delete: 5 }]);
    const red = [{ retain: 3, attributes: { color: 'red' } }];
    const blue = [{ retain: 3, attributes: { color: 'blue', bold: true } }];
    expect(richText.transform(red, blue, 'left')).toEqual(red);
    expect(richText.transform(red, blue, 'right')).toEqual([]);
    expect(richText.transform(blue, red, 'right')).toEqual([{ retain: 3, attributes: { bold: true } }]);
  });

  it('positions: a caret stays before text inserted at it on the left side, moves after it on the right', () => {
    const op = [{ retain: 2 }, { insert: 'xy' }, { delete: 1 }];
    expect(text.transformPosition(2, op, 'left')).toBe(2);
    expect(text.transformPosition(2, op, 'right')).toBe(4);
    expect(text.transformPosition(3, op, 'left')).toBe(4);
    expect(text.transformPosition(5, op, 'left')).toBe(6);
  });
});
