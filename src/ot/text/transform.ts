import { Kind } from '../component.js';
import { OpBuilder } from '../builder.js';
import { OpCursor } from '../cursor.js';
import { checkSide, type Side } from '../side.js';
import type { TextOp } from './types.js';

/**
 * `a` rewritten to apply after `b`, where both were made on the same document: it keeps
 * what `b` inserted and skips what `b` already deleted. `side` says which op goes first
 * where both insert at one position (`'left'`: `a`'s text comes first). Together with the
 * other side this is convergent (TP1):
 * `apply(apply(d, b), transform(a, b, 'left'))` equals
 * `apply(apply(d, a), transform(b, a, 'right'))`.
 *
 * @throws {OTError} `bad-argument` for another `side`; a grammar rule when a component of
 *   `a` or `b` has no valid kind or length.
 */
export function transform(a: TextOp, b: TextOp, side: Side): TextOp {
  checkSide(side);
  const left = side === 'left';
  const mine = new OpCursor(a);
  const theirs = new OpCursor(b);
  const out = new OpBuilder();
  while (mine.kind !== Kind.End) {
    if (mine.kind === Kind.Insert && (left || theirs.kind !== Kind.Insert)) {
      out.insert(mine.takeAllText(), undefined);
      continue;
    }
    if (theirs.kind === Kind.Insert) {
      out.retain(theirs.remaining, undefined);
      theirs.next();
      continue;
    }
    const n = Math.min(mine.remaining, theirs.remaining);
    if (theirs.kind !== Kind.Delete) {
      if (mine.kind === Kind.Delete) out.delete(n);
      else out.retain(n, undefined);
    }
    mine.skip(n);
    theirs.skip(n);
  }
  return out.done() as TextOp;
}
