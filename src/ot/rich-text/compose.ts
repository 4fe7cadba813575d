import { composeAttributes } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind, checkArray, type LooseComponent } from '../component.js';
import { attributesOf, kindOf, lengthOf, piece } from '../cursor.js';
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
  // component is read when nothing of the previous one is left, at the top of the loop
  // only, so that the readers are inlined in one place.
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
      kindA = kindOf(first[++i]);
      restA = lengthOf(first[i], kindA, i);
      attributesA = attributesOf(first[i]);
    }
    if (restB === 0) {
      kindB = kindOf(second[++j]);
      restB = lengthOf(second[j], kindB, j);
      attributesB = attributesOf(second[j]);
    }
    if (kindB === Kind.Insert) {
      out.insert(second[j]!.insert!, attributesB);
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
