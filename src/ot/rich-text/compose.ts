import { composeAttributes, nonEmpty } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind, checkArray, type AttributeMap, type Insert, type LooseComponent } from '../component.js';
import { lengthOf, piece, refusal } from '../cursor.js';
import type { RichTextOp } from './types.js';

/**
 * One op with the effect of `a` followed by `b`: `apply(apply(doc, a), b)` equals
 * `apply(doc, compose(a, b))`. Attributes compose as in Quill Delta: `b`'s values set and
 * override `a`'s, and a `null` of `b` removes the attribute (from text `a` inserted, it
 * simply drops out). The result is normalized.
 *
 * @throws {OTError} when a component of `a` or `b` has no valid kind or length.
 */
export function compose(a: RichTextOp, b: RichTextOp): RichTextOp {
  checkArray(a);
  checkArray(b);
  const first: readonly LooseComponent[] = a;
  const second: readonly LooseComponent[] = b;
  const out = new OpBuilder();
  // Each op's position: its current component, that component's kind and attributes, and
  // the code units of it not taken yet. A component is read when nothing of the previous
  // one is left, at the top of the loop, inline (see text/compose.ts). The loop ends when
  // either op runs out; the rest of the other is copied after it, so the lengths stay
  // small integers (no Infinity for the implicit retain past an op's end).
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
      if (++i === first.length) break;
      const c = first[i];
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
      if (++j === second.length) break;
      const c = second[j];
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
    if (kindB === Kind.Insert) {
      out.whole(second[j] as Insert);
      restB = 0;
    } else if (kindA === Kind.Delete) {
      out.delete(restA);
      restA = 0;
    } else {
      const n = restA < restB ? restA : restB;
      if (kindB === Kind.Delete) {
        if (kindA === Kind.Retain) out.delete(n);
      } else if (kindA === Kind.Insert) {
        out.insert(piece(first[i], restA, n), composeAttributes(attributesA, attributesB, false));
      } else {
        out.retain(n, composeAttributes(attributesA, attributesB, true));
      }
      restA -= n;
      restB -= n;
    }
  }
  // One op has run out, and past its end it keeps everything without formatting it: the
  // rest of the other one, from what is left of its current component, is copied as it is.
  const ended = i === first.length;
  const rest = ended ? second : first;
  let k = ended ? j : i;
  let kind = ended ? kindB : kindA;
  let n = ended ? restB : restA;
  let attributes = ended ? attributesB : attributesA;
  for (;;) {
    if (n === 0) {
      if (++k >= rest.length) break;
      const c = rest[k];
      if (c == null) throw refusal(c, k);
      let m = c.retain;
      if (m !== undefined) kind = Kind.Retain;
      else if ((m = c.delete) !== undefined) kind = Kind.Delete;
      else {
        kind = Kind.Insert;
        m = typeof c.insert === 'string' ? c.insert.length : 0;
      }
      n = (m | 0) === m && m > 0 ? m : lengthOf(c, kind, k);
      attributes = c.attributes === undefined ? undefined : nonEmpty(c.attributes);
    }
    if (kind === Kind.Retain) out.retain(n, attributes);
    else if (kind === Kind.Delete) out.delete(n);
    else if (n === rest[k]!.insert!.length) out.whole(rest[k] as Insert);
    else out.insert(piece(rest[k], n, n), attributes);
    n = 0;
  }
  return out.done();
}
