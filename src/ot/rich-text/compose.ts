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
  // the code units of it not taken yet (Infinity past the end, where an op retains). A
  // component is read when nothing of the previous one is left, at the top of the loop,
  // inline (see text/compose.ts).
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
      if (++i < first.length) {
        const c = first[i];
        if (typeof c !== 'object' || c === null) throw refusal(c, i);
        kindA = c.retain !== undefined ? Kind.Retain : c.delete !== undefined ? Kind.Delete : Kind.Insert;
        restA = kindA === Kind.Retain ? c.retain! : kindA === Kind.Delete ? c.delete! : typeof c.insert === 'string' ? c.insert.length : 0;
        if (!((restA | 0) === restA && restA > 0)) restA = lengthOf(c, kindA, i);
        attributesA = c.attributes === undefined ? undefined : nonEmpty(c.attributes);
      } else {
        kindA = Kind.End;
        restA = Infinity;
        attributesA = undefined;
      }
    }
    if (restB === 0) {
      if (++j < second.length) {
        const c = second[j];
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
    if (kindB === Kind.Insert) {
      out.whole(second[j] as Insert);
      restB = 0;
    } else if (kindA === Kind.Delete) {
      out.delete(restA);
      restA = 0;
    } else if (kindA === Kind.End && kindB === Kind.End) {
      break;
    } else {
      const n = restA < restB ? restA : restB;
      if (kindB === Kind.Delete) {
        if (kindA !== Kind.Insert) out.delete(n);
      } else if (kindA === Kind.Insert) {
        out.insert(piece(first[i], restA, n), composeAttributes(attributesA, attributesB, false));
      } else {
        out.retain(n, composeAttributes(attributesA, attributesB, true));
      }
      restA -= n;
      restB -= n;
    }
  }
  return out.done();
}
