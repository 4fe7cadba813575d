import { nonEmpty } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind, checkArray, checkComponent, type Insert, type Retain } from '../component.js';
import type { RichTextOp } from './types.js';

/**
 * The normal form of `op`, with the same effect on every document: adjacent components of
 * one kind and equal attributes merged, inserts before deletes where they meet, empty
 * attribute maps dropped, no trailing plain retain. Idempotent.
 *
 * @throws {OTError} when `op` is malformed (see `validate`); nothing is repaired.
 */
export function normalize(op: RichTextOp): RichTextOp {
  checkArray(op);
  const out = new OpBuilder();
  for (let i = 0; i < op.length; i++) {
    const c = op[i];
    const kind = checkComponent(c, i, true);
    if (kind === Kind.Insert) out.insert((c as Insert).insert, nonEmpty((c as Insert).attributes));
    else if (kind === Kind.Retain) out.retain((c as Retain).retain, nonEmpty((c as Retain).attributes));
    else out.delete((c as { delete: number }).delete);
  }
  return out.done();
}
