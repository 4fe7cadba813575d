import { transformAttributes, nonEmpty } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind, checkArray, type AttributeMap, type Insert, type LooseComponent } from '../component.js';
import { lengthOf, refusal } from '../cursor.js';
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
  let attributesA: AttributeMap | undefined;
  let j = -1;
  let kindB = Kind.End;
  let restB = 0;
  let attributesB: AttributeMap | undefined;
  for (;;) {
    if (restA === 0) {
      if (++i === mine.length) break;
      const c = mine[i];
      if (typeof c !== 'object' || c === null) throw refusal(c, i);
      kindA = c.retain !== undefined ? Kind.Retain : c.delete !== undefined ? Kind.Delete : Kind.Insert;
      restA = kindA === Kind.Retain ? c.retain! : kindA === Kind.Delete ? c.delete! : typeof c.insert === 'string' ? c.insert.length : 0;
      if (!((restA | 0) === restA && restA > 0)) restA = lengthOf(c, kindA, i);
      attributesA = c.attributes === undefined ? undefined : nonEmpty(c.attributes);
    }
    if (restB === 0) {
      if (++j < theirs.length) {
        const c = theirs[j];
        if (typeof c !== 'object' || c === null) throw refusal(c, j);
        kindB = c.retain !== undefined ? Kind.Retain : c.delete !== undefined ? Kind.Delete : Kind.Insert;
        restB = kindB === Kind.Retain ? c.retain! : kindB === Kind.Delete ? c.delete! : typeof c.insert === 'string' ? c.insert.length : 0;
        if (!((restB | 0) === restB && restB > 0)) restB = lengthOf(c, kindB, j);
        attributesB = c.attributes === undefined ? undefined : nonEmpty(c.attributes);
      } else {
        kindB = Kind.End;
        restB = Infinity;
        attributesB = undefined;
      }
    }
    if (kindA === Kind.Insert && (left || kindB !== Kind.Insert)) {
      out.whole(mine[i] as Insert);
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
