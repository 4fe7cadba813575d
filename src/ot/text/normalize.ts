import { OpBuilder } from '../builder.js';
import { Kind, checkComponent, checkArray } from '../component.js';
import type { TextOp } from './types.js';

/**
 * The normal form of `op`, with the same effect on every document: adjacent components of
 * one kind merged, inserts before deletes where they meet, no trailing retain. Idempotent;
 * a normalized op is returned as an equal new array.
 *
 * @throws {OTError} when `op` is malformed (see `validate`); nothing is repaired.
 */
export function normalize(op: TextOp): TextOp {
  const out = new OpBuilder();
  checkArray(op);
  for (let i = 0; i < op.length; i++) {
    const c = op[i];
    const kind = checkComponent(c, i, false);
    if (kind === Kind.Insert) out.insert((c as { insert: string }).insert, undefined);
    else if (kind === Kind.Retain) out.retain((c as { retain: number }).retain, undefined);
    else out.delete((c as { delete: number }).delete);
  }
  return out.done() as TextOp;
}
