import { invertAttributes, nonEmpty } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind, checkArray, checkComponent, type Insert, type Retain } from '../component.js';
import { OpCursor } from '../cursor.js';
import { nextPiece } from './document.js';
import type { RichTextDocument, RichTextOp } from './types.js';

/**
 * The op that undoes `op` on the document it produced from `docBefore`:
 * `apply(apply(docBefore, op), invert(op, docBefore))` equals `docBefore`. Deleted text
 * comes back with its attributes; formatted text gets back each attribute's previous
 * value, or `null` where it had none. The result is normalized.
 *
 * @throws {OTError} when `op` is malformed or does not fit `docBefore`.
 */
export function invert(op: RichTextOp, docBefore: RichTextDocument): RichTextOp {
  checkArray(op);
  const source = new OpCursor(docBefore);
  const out = new OpBuilder();
  for (let i = 0; i < op.length; i++) {
    const c = op[i];
    const kind = checkComponent(c, i, true);
    if (kind === Kind.Insert) {
      out.delete((c as Insert).insert.length);
      continue;
    }
    const change = kind === Kind.Retain ? nonEmpty((c as Retain).attributes) : undefined;
    let n = kind === Kind.Retain ? (c as Retain).retain : (c as { delete: number }).delete;
    while (n > 0) {
      const m = nextPiece(source, n, i);
      const before = source.attributes;
      if (kind === Kind.Delete) out.insert(source.takeText(m), before);
      else {
        out.retain(m, invertAttributes(change, before));
        source.skip(m);
      }
      n -= m;
    }
  }
  return out.done();
}
