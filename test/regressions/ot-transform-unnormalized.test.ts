import { describe, expect, it } from 'vitest';
import { text } from '../../src/ot/index.js';

/**
 * Found by the differential test against ot-text-unicode (counterexample of
 * test/ot/differential.test.ts): `[{ insert: 'caaa' }, { delete: 1 }, { insert: 'cab' }]`
 * and its normal form `[{ insert: 'caaacab' }, { delete: 1 }]` do the same to every
 * document, yet an insert at the end of the deleted text transforms differently against
 * them (after 'caaa' or after 'caaacab'). Both results converge (TP1 holds for each), so
 * this is not a convergence bug; but two sites must transform against the same form of an
 * op. The ShareDB types normalize every op on submit (ShareDB calls `normalize`), and the
 * binary twin only carries normal forms, so the sites always agree.
 */
describe('regression: transform against an op that is not normalized', () => {
  const doc = ' ';
  const a = [{ retain: 1 }, { insert: 'bca' }];
  const raw = [{ insert: 'caaa' }, { delete: 1 }, { insert: 'cab' }];
  const normal = text.normalize(raw);

  it('depends on the form of the other op, and converges with either', () => {
    expect(normal).toEqual([{ insert: 'caaacab' }, { delete: 1 }]);
    expect(text.transform(a, raw, 'left')).toEqual([{ retain: 4 }, { insert: 'bca' }]);
    expect(text.transform(a, normal, 'left')).toEqual([{ retain: 7 }, { insert: 'bca' }]);
    for (const b of [raw, normal]) {
      const viaA = text.apply(text.apply(doc, a), text.transform(b, a, 'right'));
      const viaB = text.apply(text.apply(doc, b), text.transform(a, b, 'left'));
      expect(viaA).toBe(viaB);
    }
  });
});
