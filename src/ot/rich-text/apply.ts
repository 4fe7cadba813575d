import { composeAttributes, nonEmpty } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind, checkArray, checkComponent, type Insert, type Retain } from '../component.js';
import { OpCursor } from '../cursor.js';
import { nextPiece } from './document.js';
import type { RichTextDocument, RichTextOp } from './types.js';

/**
 * The document `op` turns `doc` into, in normal form. Retained text takes the op's
 * attributes over its own (`null` removes one); linear in the number of runs and
 * components.
 *
 * @throws {OTError} when `op` is malformed or does not fit `doc` (see `validate`), or
 *   `doc` is not a document: the op is refused whole, nothing is clamped.
 */
export function apply(doc: RichTextDocument, op: RichTextOp): RichTextDocument {
  checkArray(op);
  const source = new OpCursor(doc);
  const out = new OpBuilder();
  for (let i = 0; i < op.length; i++) {
    const c = op[i];
    const kind = checkComponent(c, i, true);
    if (kind === Kind.Insert) {
      out.insert((c as Insert).insert, nonEmpty((c as Insert).attributes));
      continue;
    }
    const attributes = kind === Kind.Retain ? nonEmpty((c as Retain).attributes) : undefined;
    let n = kind === Kind.Retain ? (c as Retain).retain : (c as { delete: number }).delete;
    while (n > 0) {
      const m = nextPiece(source, n, i);
      if (kind === Kind.Retain && attributes === undefined && m === source.remaining && source.offset === 0) {
        // A whole run kept as it is: the document's own object carries over.
        out.whole(source.current as Insert);
        source.skip(m);
      } else if (kind === Kind.Retain) {
        const formatted = composeAttributes(source.attributes, attributes, false);
        out.insert(source.takeText(m), formatted);
      } else source.skip(m);
      n -= m;
    }
  }
  while (source.kind !== Kind.End) {
    nextPiece(source, Infinity, op.length);
    if (source.offset === 0) {
      out.whole(source.current as Insert);
      source.next();
    } else {
      const attributes = source.attributes;
      out.insert(source.takeAllText(), attributes);
    }
  }
  return out.done() as RichTextDocument;
}
