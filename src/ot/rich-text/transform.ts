import { transformAttributes } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind } from '../component.js';
import { OpCursor } from '../cursor.js';
import { checkSide, type Side } from '../side.js';
import type { RichTextOp } from './types.js';

/**
 * `a` rewritten to apply after `b`, where both were made on the same document. `side`
 * says which op goes first where they collide: with `'left'`, `a`'s inserts come before
 * `b`'s at the same position and `a` keeps the attribute values it sets on text `b` also
 * formats; with `'right'`, `b`'s inserts come first and `a` drops the attributes `b` sets.
 * Convergent (TP1): `apply(apply(d, b), transform(a, b, 'left'))` equals
 * `apply(apply(d, a), transform(b, a, 'right'))`.
 *
 * The same as Quill's `b.transform(a, side === 'right')`. (ottypes/rich-text maps `side`
 * the other way round; this follows text-unicode and json0, where `'left'` goes first.)
 *
 * @throws {OTError} `bad-argument` for another `side`; a grammar rule when a component of
 *   `a` or `b` has no valid kind or length.
 */
export function transform(a: RichTextOp, b: RichTextOp, side: Side): RichTextOp {
  checkSide(side);
  const left = side === 'left';
  const mine = new OpCursor(a);
  const theirs = new OpCursor(b);
  const out = new OpBuilder();
  while (mine.kind !== Kind.End) {
    if (mine.kind === Kind.Insert && (left || theirs.kind !== Kind.Insert)) {
      const attributes = mine.attributes;
      out.insert(mine.takeAllText(), attributes);
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
      else out.retain(n, transformAttributes(mine.attributes, theirs.attributes, side));
    }
    mine.skip(n);
    theirs.skip(n);
  }
  return out.done();
}
