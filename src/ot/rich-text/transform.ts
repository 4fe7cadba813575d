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
  // the code units of it not taken yet. The loop ends when either op runs out: past a's
  // end there is nothing left to rewrite, and past b's end the rest of a carries over.
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
      if (c == null) throw refusal(c, i);
      let n = c.retain;
      if (n !== undefined) kindA = Kind.Retain;
      else if ((n = c.delete) !== undefined) kindA = Kind.Delete;
      else {
        kindA = Kind.Insert;
        n = typeof c.insert === 'string' ? c.insert.length : 0;
      }
      restA = (n | 0) === n && n > 0 ? n : lengthOf(c, kindA, i);
      attributesA = c.attributes === undefined ? undefined : nonEmpty(c.attributes);
    }
    if (restB === 0) {
      if (++j === theirs.length) break;
      const c = theirs[j];
      if (c == null) throw refusal(c, j);
      let n = c.retain;
      if (n !== undefined) kindB = Kind.Retain;
      else if ((n = c.delete) !== undefined) kindB = Kind.Delete;
      else {
        kindB = Kind.Insert;
        n = typeof c.insert === 'string' ? c.insert.length : 0;
      }
      restB = (n | 0) === n && n > 0 ? n : lengthOf(c, kindB, j);
      attributesB = c.attributes === undefined ? undefined : nonEmpty(c.attributes);
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
  if (i < mine.length) {
    // b has run out, and past its end it keeps everything: the rest of a carries over.
    let n = restA;
    for (;;) {
      if (n === 0) {
        if (++i === mine.length) break;
        const c = mine[i];
        if (c == null) throw refusal(c, i);
        let m = c.retain;
        if (m !== undefined) kindA = Kind.Retain;
        else if ((m = c.delete) !== undefined) kindA = Kind.Delete;
        else {
          kindA = Kind.Insert;
          m = typeof c.insert === 'string' ? c.insert.length : 0;
        }
        n = (m | 0) === m && m > 0 ? m : lengthOf(c, kindA, i);
        attributesA = c.attributes === undefined ? undefined : nonEmpty(c.attributes);
      }
      // Inserts are taken whole, so this one is untouched.
      if (kindA === Kind.Insert) out.whole(mine[i] as Insert);
      else if (kindA === Kind.Retain) out.retain(n, attributesA);
      else out.delete(n);
      n = 0;
    }
  }
  return out.done();
}
