import { describe, expect, it } from 'vitest';
import { OTError, richText, text, type OTErrorRule } from '../../src/ot/index.js';

function ruleOf(run: () => unknown): OTErrorRule | string {
  try {
    run();
  } catch (e) {
    return e instanceof OTError ? e.rule : `threw ${String(e)}`;
  }
  return 'accepted';
}

/**
 * Found while testing the tails of compose and transform (test/ot/validate.test.ts): the
 * slow path that checks a length which is not a small integer (`lengthOf` in cursor.ts)
 * read `(n as number | 0) === n`, where TypeScript takes `number | 0` for the type, so
 * the test was `n === n && n > 0` and let through every positive number. compose then
 * returned ops with fractional or unsafe lengths, and rich-text transform against
 * `{ retain: Infinity }` never returned (Infinity − Infinity is NaN, which never reaches 0).
 */
describe('regression: compose and transform refuse lengths that are not safe integers', () => {
  const lengths: [number, OTErrorRule][] = [
    [1.5, 'not-integer'],
    [2 ** 53, 'not-integer'],
    [Infinity, 'not-integer'],
  ];

  it.each(lengths)('a length of %s is refused as %s', (n, rule) => {
    // Rich text is left out for Infinity: should the bug come back, the test would hang
    // rather than fail. Plain text, which copies the rest of an op after the other one ends,
    // would return a garbage op and fail.
    for (const family of n === Infinity ? [text] : [text, richText]) {
      const compose = family.compose as (a: unknown, b: unknown) => unknown;
      const transform = family.transform as (a: unknown, b: unknown, side: 'left' | 'right') => unknown;
      expect(ruleOf(() => compose([{ retain: n }, { insert: 'x' }], [{ retain: 1 }]))).toBe(rule);
      expect(ruleOf(() => compose([], [{ delete: n }]))).toBe(rule);
      expect(ruleOf(() => transform([{ retain: n }, { insert: 'x' }], [{ retain: 1 }], 'left'))).toBe(rule);
      expect(ruleOf(() => transform([{ insert: 'x' }], [{ delete: n }], 'right'))).toBe(rule);
    }
  });
});
