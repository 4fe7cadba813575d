import { Kind } from '../component.js';
import { OpBuilder } from '../builder.js';
import { OpCursor } from '../cursor.js';
import type { TextOp } from './types.js';

/**
 * One op with the effect of `a` followed by `b`: `apply(apply(doc, a), b)` equals
 * `apply(doc, compose(a, b))`. `b` reads the document `a` produced; text `a` inserts and
 * `b` deletes vanishes. The result is normalized.
 *
 * @throws {OTError} when a component of `a` or `b` has no valid kind or length.
 */
export function compose(a: TextOp, b: TextOp): TextOp {
  const first = new OpCursor(a);
  const second = new OpCursor(b);
  const out = new OpBuilder();
  for (;;) {
    if (second.kind === Kind.Insert) {
      out.insert(second.takeAllText(), undefined);
      continue;
    }
    if (first.kind === Kind.Delete) {
      out.delete(first.remaining);
      first.next();
      continue;
    }
    if (second.kind === Kind.End) break;
    const n = Math.min(first.remaining, second.remaining);
    if (second.kind === Kind.Retain) {
      if (first.kind === Kind.Insert) out.insert(first.takeText(n), undefined);
      else {
        out.retain(n, undefined);
        first.skip(n);
      }
    } else {
      if (first.kind !== Kind.Insert) out.delete(n);
      first.skip(n);
    }
    second.skip(n);
  }
  // `b` keeps the rest of what `a` produced.
  while (first.kind !== Kind.End) {
    if (first.kind === Kind.Insert) {
      out.insert(first.takeAllText(), undefined);
      continue;
    }
    if (first.kind === Kind.Retain) out.retain(first.remaining, undefined);
    else out.delete(first.remaining);
    first.next();
  }
  return out.done() as TextOp;
}
