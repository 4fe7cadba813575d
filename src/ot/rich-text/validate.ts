import { Kind, checkArray, checkComponent } from '../component.js';
import { OpCursor } from '../cursor.js';
import { nextPiece } from './document.js';
import type { RichTextDocument, RichTextOp } from './types.js';

/**
 * Checks that `op` is a well-formed rich-text op and, given the document it is meant
 * for, that it fits it: it retains and deletes no further than the document's end and
 * never cuts a surrogate pair. Accepts ops that are valid but not normalized.
 *
 * @throws {OTError} naming the rule broken: `malformed` (also for `null` among an
 *   insert's attributes, or attributes on a delete), `unknown-key`, `not-integer`,
 *   `negative`, `zero-length`, `lone-surrogate`, or with `doc`, `length-mismatch`,
 *   `splits-surrogate` and `bad-argument` (a document that is not inserts).
 */
export function validate(op: unknown, doc?: RichTextDocument): asserts op is RichTextOp {
  checkArray(op);
  const cursor = doc === undefined ? undefined : new OpCursor(doc);
  for (let i = 0; i < op.length; i++) {
    const c = op[i];
    const kind = checkComponent(c, i, true);
    if (cursor === undefined || kind === Kind.Insert) continue;
    let n = (c as { retain?: number }).retain ?? (c as { delete: number }).delete;
    while (n > 0) {
      const m = nextPiece(cursor, n, i);
      cursor.skip(m);
      n -= m;
    }
  }
}
