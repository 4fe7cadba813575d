import { transformAttributes } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind, checkArray, type LooseComponent } from '../component.js';
import { attributesOf, kindOf, lengthOf } from '../cursor.js';
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
  checkArray(a);
  checkArray(b);
  const left = side === 'left';
  const mine: readonly LooseComponent[] = a;
  const theirs: readonly LooseComponent[] = b;
  const out = new OpBuilder();
  // Each op's position, as in compose: current component, its kind and attributes, and
  // the code units of it not taken yet (Infinity past the end).
  let i = -1;
  let kindA = Kind.End;
  let restA = 0;
  let attributesA = attributesOf(undefined);
  let j = -1;
  let kindB = Kind.End;
  let restB = 0;
  let attributesB = attributesOf(undefined);
  for (;;) {
    if (restA === 0) {
      kindA = kindOf(mine[++i]);
      restA = lengthOf(mine[i], kindA, i);
      attributesA = attributesOf(mine[i]);
      if (kindA === Kind.End) break;
    }
    if (restB === 0) {
      kindB = kindOf(theirs[++j]);
      restB = lengthOf(theirs[j], kindB, j);
      attributesB = attributesOf(theirs[j]);
    }
    if (kindA === Kind.Insert && (left || kindB !== Kind.Insert)) {
      out.insert(mine[i]!.insert!, attributesA);
      restA = 0;
    } else if (kindB === Kind.Insert) {
      out.retain(restB, undefined);
      restB = 0;
    } else {
      const n = restA < restB ? restA : restB;
      if (kindB !== Kind.Delete) {
        if (kindA === Kind.Delete) out.delete(n);
        else out.retain(n, transformAttributes(attributesA, attributesB, side));
      }
      restA -= n;
      restB -= n;
    }
  }
  return out.done();
}
