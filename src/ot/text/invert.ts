import { OpBuilder } from '../builder.js';
import { Kind, checkComponent, checkArray } from '../component.js';
import { OTError } from '../errors.js';
import type { TextOp } from './types.js';
import { checkBoundary } from './validate.js';

/**
 * The op that undoes `op` on the document it produced from `docBefore`:
 * `apply(apply(docBefore, op), invert(op, docBefore))` equals `docBefore`. Deletions are
 * undone by inserting the text `docBefore` held there. The result is normalized.
 *
 * @throws {OTError} when `op` is malformed or does not fit `docBefore`.
 */
export function invert(op: TextOp, docBefore: string): TextOp {
  if (typeof docBefore !== 'string') throw new OTError('bad-argument', 'a plain-text document is a string');
  checkArray(op);
  const out = new OpBuilder();
  let base = 0;
  for (let i = 0; i < op.length; i++) {
    const c = op[i];
    const kind = checkComponent(c, i, false);
    if (kind === Kind.Insert) {
      out.delete((c as { insert: string }).insert.length);
    } else if (kind === Kind.Retain) {
      const n = (c as { retain: number }).retain;
      checkBoundary(docBefore, base + n, i);
      out.retain(n, undefined);
      base += n;
    } else {
      const n = (c as { delete: number }).delete;
      checkBoundary(docBefore, base + n, i);
      out.insert(docBefore.slice(base, base + n), undefined);
      base += n;
    }
  }
  return out.done() as TextOp;
}
