import { Kind, checkComponent, splitsPair, checkArray } from '../component.js';
import { OTError } from '../errors.js';
import type { TextOp } from './types.js';

/**
 * Checks that `op` is a well-formed plain-text op and, given the document it is meant
 * for, that it fits it: it retains and deletes no further than the document's end and
 * never cuts a surrogate pair. Accepts ops that are valid but not normalized.
 *
 * @throws {OTError} naming the rule broken: `malformed`, `unknown-key`, `not-integer`,
 *   `negative`, `zero-length`, `lone-surrogate`, or with `doc`, `length-mismatch` and
 *   `splits-surrogate`.
 */
export function validate(op: unknown, doc?: string): asserts op is TextOp {
  checkArray(op);
  if (doc !== undefined && typeof doc !== 'string') throw new OTError('bad-argument', 'a plain-text document is a string');
  let base = 0;
  for (let i = 0; i < op.length; i++) {
    const c: unknown = op[i];
    const kind = checkComponent(c, i, false);
    if (doc === undefined || kind === Kind.Insert) continue;
    base += (c as { retain?: number; delete?: number }).retain ?? (c as { delete: number }).delete;
    checkBoundary(doc, base, i);
  }
}

/**
 * Checks that position `base` of `doc`, where a retain or delete ends, lies within it and
 * between whole characters.
 * @throws {OTError} `length-mismatch` or `splits-surrogate`.
 */
export function checkBoundary(doc: string, base: number, index: number): void {
  if (base > doc.length) {
    throw new OTError('length-mismatch', `the op reaches position ${base} of a document of length ${doc.length}`, index);
  }
  if (splitsPair(doc, base)) {
    throw new OTError('splits-surrogate', `position ${base} lies between the two halves of a surrogate pair`, index);
  }
}
