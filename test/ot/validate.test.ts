import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OTError, richText, text, type OTErrorRule } from '../../src/ot/index.js';
import { runs } from '../helpers/property.js';
import { richCase, textCase } from './arbitraries.js';

/** The rule an OTError names, or a description of whatever else happened. */
function ruleOf(run: () => unknown): OTErrorRule | string {
  try {
    run();
  } catch (e) {
    return e instanceof OTError ? e.rule : `threw ${String(e)}`;
  }
  return 'accepted';
}

/** Ops that break one rule each, whatever the document. */
const malformed: [string, unknown, OTErrorRule][] = [
  ['not an array', { retain: 1 }, 'malformed'],
  ['a component that is a number', [3], 'malformed'],
  ['a null component', [null], 'malformed'],
  ['a component with no kind', [{}], 'malformed'],
  ['a component with two kinds', [{ retain: 1, delete: 1 }], 'malformed'],
  ['a string retain', [{ retain: '3' }], 'malformed'],
  ['an insert that is not a string', [{ insert: 3 }], 'malformed'],
  ['attributes on a delete', [{ delete: 1, attributes: { bold: true } }], 'malformed'],
  ['an unknown key', [{ retain: 1, bold: true }], 'unknown-key'],
  ['a fractional retain', [{ retain: 1.5 }], 'not-integer'],
  ['a NaN delete', [{ delete: NaN }], 'not-integer'],
  ['an infinite retain', [{ retain: Infinity }], 'not-integer'],
  ['a retain beyond 2^53', [{ retain: 2 ** 53 }], 'not-integer'],
  ['a negative retain', [{ retain: -1 }], 'negative'],
  ['a negative delete', [{ delete: -4 }], 'negative'],
  ['a zero retain', [{ retain: 0 }], 'zero-length'],
  ['a zero delete', [{ delete: 0 }], 'zero-length'],
  ['an empty insert', [{ insert: '' }], 'zero-length'],
  ['an insert with a lone high surrogate', [{ insert: 'a\ud83d' }], 'lone-surrogate'],
  ['an insert with a lone low surrogate', [{ insert: '\ude00b' }], 'lone-surrogate'],
];

/** Ops that only break rich-text attribute rules. */
const badAttributes: [string, unknown, OTErrorRule][] = [
  ['attributes that are an array', [{ retain: 1, attributes: ['bold'] }], 'malformed'],
  ['attributes that are a string', [{ insert: 'a', attributes: 'bold' }], 'malformed'],
  ['a null attribute in an insert', [{ insert: 'a', attributes: { bold: null } }], 'malformed'],
  ['an attribute that is undefined', [{ retain: 1, attributes: { bold: undefined } }], 'malformed'],
  ['an attribute that is a function', [{ retain: 1, attributes: { bold: () => true } }], 'malformed'],
  ['an attribute that is NaN', [{ retain: 1, attributes: { size: NaN } }], 'malformed'],
  ['an attribute that is a Date', [{ retain: 1, attributes: { at: new Date(0) } }], 'malformed'],
  ['an attribute name with a lone surrogate', [{ retain: 1, attributes: { '\ud800': 1 } }], 'lone-surrogate'],
];

describe('validate and apply refuse malformed ops with the rule they break', () => {
  it.each(malformed)('%s', (_, op, rule) => {
    expect(ruleOf(() => text.validate(op))).toBe(rule);
    expect(ruleOf(() => richText.validate(op))).toBe(rule);
    expect(ruleOf(() => text.apply('abc', op as never))).toBe(rule);
    expect(ruleOf(() => richText.apply([{ insert: 'abc' }], op as never))).toBe(rule);
    expect(ruleOf(() => text.normalize(op as never))).toBe(rule);
    expect(ruleOf(() => richText.normalize(op as never))).toBe(rule);
  });

  it.each(badAttributes)('rich text: %s', (_, op, rule) => {
    expect(ruleOf(() => richText.validate(op))).toBe(rule);
    expect(ruleOf(() => richText.apply([{ insert: 'abc' }], op as never))).toBe(rule);
  });

  it('plain-text ops carry no attributes', () => {
    const op = [{ retain: 1, attributes: { bold: true } }];
    expect(ruleOf(() => text.validate(op))).toBe('malformed');
    expect(ruleOf(() => richText.validate(op))).toBe('accepted');
  });

  it('an op that reaches past the document is refused, not clamped', () => {
    expect(ruleOf(() => text.apply('abc', [{ retain: 4 }]))).toBe('length-mismatch');
    expect(ruleOf(() => text.apply('abc', [{ retain: 2 }, { delete: 2 }]))).toBe('length-mismatch');
    expect(ruleOf(() => text.validate([{ delete: 4 }], 'abc'))).toBe('length-mismatch');
    expect(ruleOf(() => text.invert([{ delete: 4 }], 'abc'))).toBe('length-mismatch');
    expect(ruleOf(() => richText.apply([{ insert: 'abc' }], [{ retain: 2 }, { delete: 2 }]))).toBe('length-mismatch');
    expect(ruleOf(() => richText.validate([{ retain: 4 }], [{ insert: 'abc' }]))).toBe('length-mismatch');
    expect(ruleOf(() => richText.invert([{ retain: 4, attributes: { bold: true } }], [{ insert: 'abc' }]))).toBe('length-mismatch');
    expect(ruleOf(() => text.validate([{ delete: 3 }, { insert: 'x' }], 'abc'))).toBe('accepted');
  });

  it('an op that cuts a surrogate pair is refused', () => {
    const doc = 'a😀b';
    for (const op of [[{ retain: 2 }], [{ delete: 2 }], [{ retain: 2 }, { insert: 'x' }], [{ retain: 1 }, { delete: 1 }]]) {
      expect(ruleOf(() => text.apply(doc, op))).toBe('splits-surrogate');
      expect(ruleOf(() => text.validate(op, doc))).toBe('splits-surrogate');
      expect(ruleOf(() => richText.apply([{ insert: doc }], op))).toBe('splits-surrogate');
    }
    expect(text.apply(doc, [{ retain: 3 }, { insert: '!' }])).toBe('a😀!b');
    expect(richText.apply([{ insert: 'a' }, { insert: '😀b', attributes: { bold: true } }], [{ retain: 1 }, { delete: 2 }])).toEqual([
      { insert: 'a' },
      { insert: 'b', attributes: { bold: true } },
    ]);
  });

  it('bad arguments are refused', () => {
    expect(ruleOf(() => text.transform([], [], 'up' as never))).toBe('bad-argument');
    expect(ruleOf(() => richText.transform([], [], 'up' as never))).toBe('bad-argument');
    expect(ruleOf(() => text.transformPosition(-1, [], 'left'))).toBe('bad-argument');
    expect(ruleOf(() => text.transformPosition(1.5, [], 'left'))).toBe('bad-argument');
    expect(ruleOf(() => text.apply(3 as never, []))).toBe('bad-argument');
    expect(ruleOf(() => richText.apply([{ retain: 3 }] as never, [{ retain: 1 }]))).toBe('bad-argument');
    expect(ruleOf(() => richText.validateDocument([{ insert: 'a' }, { insert: 'b' }]))).toBe('bad-argument');
    expect(ruleOf(() => richText.validateDocument([{ insert: 'a', attributes: {} }]))).toBe('bad-argument');
  });

  it('compose and transform refuse components with no valid kind or length', () => {
    for (const bad of [[{ retain: -1 }], [{ delete: NaN }], [{ insert: '' }], [{}], [null], 'x']) {
      for (const fn of [text.compose, text.transform, richText.compose, richText.transform] as ((a: unknown, b: unknown, s: string) => unknown)[]) {
        expect(ruleOf(() => fn(bad, [{ retain: 1 }], 'left'))).not.toMatch(/^(accepted|threw)/);
        expect(ruleOf(() => fn([{ insert: 'a' }], bad, 'left'))).not.toMatch(/^(accepted|threw)/);
      }
    }
  });

  it('rich-text apply checks every run of the document, also past what the op reaches', () => {
    const runs: [unknown, OTErrorRule][] = [
      [{ insert: '' }, 'zero-length'],
      [{ retain: 2 }, 'bad-argument'],
      [{ delete: 1 }, 'bad-argument'],
      [null, 'malformed'],
      [{ insert: 5 }, 'malformed'],
    ];
    for (const [bad, rule] of runs) {
      for (const op of [[], [{ retain: 1 }], [{ retain: 2 }], [{ retain: 3 }], [{ delete: 2 }, { insert: 'x' }]]) {
        expect(ruleOf(() => richText.apply([{ insert: 'ab' }, bad] as never, op))).toBe(rule);
      }
      expect(ruleOf(() => richText.apply([bad] as never, [{ retain: 1 }]))).toBe(rule);
    }
  });

  it('compose and transform check the components they copy after the other op has run out', () => {
    const bads: [unknown, OTErrorRule][] = [
      [{ retain: -1 }, 'negative'],
      [{ delete: 1.5 }, 'not-integer'],
      [{ insert: '' }, 'zero-length'],
      [{ retain: 2 ** 53 }, 'not-integer'],
      [null, 'malformed'],
    ];
    for (const [bad, rule] of bads) {
      for (const fn of [text.compose, richText.compose] as ((a: unknown, b: unknown) => unknown)[]) {
        // The rest of b after a has run out, and the rest of a after b has.
        expect(ruleOf(() => fn([{ insert: 'ab' }], [{ retain: 2 }, { insert: 'c' }, bad]))).toBe(rule);
        expect(ruleOf(() => fn([{ retain: 3 }, { insert: 'c' }, bad], [{ delete: 1 }]))).toBe(rule);
      }
      for (const fn of [text.transform, richText.transform] as ((a: unknown, b: unknown, s: string) => unknown)[]) {
        expect(ruleOf(() => fn([{ retain: 3 }, { insert: 'c' }, bad], [{ delete: 1 }], 'left'))).toBe(rule);
      }
    }
    // Lengths beyond the small-integer fast path are read in full, not refused.
    expect(text.compose([{ retain: 2 ** 40 }, { insert: 'x' }], [{ delete: 2 ** 40 }])).toEqual([{ insert: 'x' }, { delete: 2 ** 40 }]);
    expect(text.transform([{ retain: 2 ** 40 }, { insert: 'x' }], [{ delete: 3 }], 'left')).toEqual([{ retain: 2 ** 40 - 3 }, { insert: 'x' }]);
  });

  it('every valid op fitted to its document is accepted', () => {
    fc.assert(
      fc.property(textCase(), ({ doc, a }) => {
        text.validate(a, doc);
      }),
      runs(200),
    );
    fc.assert(
      fc.property(richCase(), ({ doc, a }) => {
        richText.validate(a, doc);
        richText.validateDocument(doc);
      }),
      runs(200),
    );
  });

  it('corrupting one component of a valid op is refused with the rule the corruption breaks', () => {
    const corruptions: [string, (n: number) => object, OTErrorRule][] = [
      ['negative', (n) => ({ retain: -n }), 'negative'],
      ['fraction', (n) => ({ delete: n + 0.5 }), 'not-integer'],
      ['zero', () => ({ retain: 0 }), 'zero-length'],
      ['extra key', (n) => ({ retain: n, extra: 1 }), 'unknown-key'],
      ['too long', (n) => ({ retain: n + 1000 }), 'length-mismatch'],
    ];
    fc.assert(
      fc.property(textCase(), fc.nat(), fc.constantFrom(...corruptions), ({ doc, a }, at, [, corrupt, rule]) => {
        const op: object[] = [...a];
        const i = op.length === 0 ? 0 : at % op.length;
        op.splice(i, 1, corrupt(1 + (at % 5)));
        const found = ruleOf(() => text.apply(doc, op as never));
        // A corruption placed after an earlier fault reports that fault instead.
        expect(found === rule || found === 'length-mismatch' || found === 'splits-surrogate').toBe(true);
        if (rule !== 'length-mismatch') expect(ruleOf(() => text.validate(op))).toBe(rule);
      }),
      runs(200),
    );
  });
});
