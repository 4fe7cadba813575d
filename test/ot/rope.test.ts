import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OTError, Rope, text, type TextOp } from '../../src/ot/index.js';
import { runs } from '../helpers/property.js';
import { shape, textOf, type Step } from './arbitraries.js';

/** Steps with long lengths and long inserts, so ops cross and split the rope's chunks. */
const bigStep: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom('retain' as const, 'insert' as const, 'delete' as const),
  n: fc.integer({ min: 1, max: 3000 }),
  text: fc.oneof(textOf(1, 5), textOf(1, 5).map((t) => t.repeat(400))),
  attributes: fc.constant(undefined),
});

describe('Rope', () => {
  it('applies ops exactly as text.apply does, across chunk and node splits', () => {
    fc.assert(
      fc.property(textOf(0, 40).map((t) => t.repeat(100)), fc.array(fc.array(bigStep, { maxLength: 6 }), { minLength: 1, maxLength: 20 }), (start, batches) => {
        const rope = new Rope(start);
        let expected = start;
        for (const steps of batches) {
          const op = shape(steps, expected, false) as TextOp;
          rope.apply(op);
          expected = text.apply(expected, op);
          expect(rope.length).toBe(expected.length);
        }
        expect(rope.toString()).toBe(expected);
        for (let i = 0; i < expected.length; i += 97) expect(rope.charCodeAt(i)).toBe(expected.charCodeAt(i));
      }),
      runs(60),
    );
  });

  it('refuses an op that does not fit, and is left untouched', () => {
    const rope = new Rope('a😀b');
    for (const [op, rule] of [
      [[{ insert: 'x' }, { retain: 5 }], 'length-mismatch'],
      [[{ insert: 'x' }, { retain: 2 }], 'splits-surrogate'],
      [[{ delete: 1 }, { retain: -1 }], 'negative'],
      [[{ retain: 1 }, { insert: '' }], 'zero-length'],
    ] as const) {
      expect(() => rope.apply(op as unknown as TextOp)).toThrow(OTError);
      try {
        rope.apply(op as unknown as TextOp);
      } catch (e) {
        expect((e as OTError).rule).toBe(rule);
      }
      expect(rope.toString()).toBe('a😀b');
    }
    expect(() => new Rope('\ud800')).toThrow(/lone-surrogate/);
  });

  it('replays the automerge-paper editing trace, patch by patch as ops, to its final text', () => {
    // The traces live beside the project (../shared/traces), or where TANDEM_TRACES says.
    const directory = process.env.TANDEM_TRACES || fileURLToPath(new URL('../../../shared/traces', import.meta.url));
    const trace = JSON.parse(gunzipSync(readFileSync(resolve(directory, 'automerge-paper.json.gz'))).toString('utf8')) as {
      endContent: string;
      txns: { patches: [number, number, string][] }[];
    };
    const rope = new Rope();
    let patches = 0;
    for (const { patches: list } of trace.txns) {
      for (const [pos, deleted, inserted] of list) {
        const op: { retain?: number; insert?: string; delete?: number }[] = [];
        if (pos > 0) op.push({ retain: pos });
        if (inserted !== '') op.push({ insert: inserted });
        if (deleted > 0) op.push({ delete: deleted });
        rope.apply(op as TextOp);
        patches++;
      }
    }
    expect(patches).toBe(259_778);
    expect(rope.toString()).toBe(trace.endContent);
  });
});
