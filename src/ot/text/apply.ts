import { Kind, checkComponent, checkArray } from '../component.js';
import { OTError } from '../errors.js';
import type { TextOp } from './types.js';
import { checkBoundary } from './validate.js';

/**
 * The document `op` turns `doc` into. Linear in the lengths of both: pieces of `doc` are
 * sliced and concatenated, never copied one edit at a time.
 *
 * @throws {OTError} when `op` is malformed or does not fit `doc` (see `validate`): the op
 *   is refused whole, nothing is clamped.
 */
export function apply(doc: string, op: TextOp): string {
  if (typeof doc !== 'string') throw new OTError('bad-argument', 'a plain-text document is a string');
  checkArray(op);
  let out = '';
  let base = 0;
  for (let i = 0; i < op.length; i++) {
    const c = op[i];
    const kind = checkComponent(c, i, false);
    if (kind === Kind.Insert) {
      out += (c as { insert: string }).insert;
      continue;
    }
    if (kind === Kind.Retain) {
      const n = (c as { retain: number }).retain;
      checkBoundary(doc, base + n, i);
      out += doc.slice(base, base + n);
      base += n;
    } else {
      base += (c as { delete: number }).delete;
      checkBoundary(doc, base, i);
    }
  }
  return base === 0 ? out + doc : out + doc.slice(base);
}
