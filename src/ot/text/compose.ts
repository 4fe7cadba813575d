import { OpBuilder } from '../builder.js';
import { Kind, checkArray, type LooseComponent } from '../component.js';
import { kindOf, lengthOf, piece } from '../cursor.js';
import type { TextOp } from './types.js';

/**
 * One op with the effect of `a` followed by `b`: `apply(apply(doc, a), b)` equals
 * `apply(doc, compose(a, b))`. `b` reads the document `a` produced; text `a` inserts and
 * `b` deletes vanishes. The result is normalized.
 *
 * @throws {OTError} when a component of `a` or `b` has no valid kind or length.
 */
export function compose(a: TextOp, b: TextOp): TextOp {
  checkArray(a);
  checkArray(b);
  const first: readonly LooseComponent[] = a;
  const second: readonly LooseComponent[] = b;
  const out = new OpBuilder();
  // Each op's position: its current component, that component's kind, and the code
  // units of it not taken yet (Infinity past the end, where an op retains). A component
  // is read when nothing of the previous one is left, at the top of the loop only, so
  // that the readers are inlined in one place.
  let i = -1;
  let kindA = Kind.End;
  let restA = 0;
  let j = -1;
  let kindB = Kind.End;
  let restB = 0;
  for (;;) {
    if (restA === 0) {
      kindA = kindOf(first[++i]);
      restA = lengthOf(first[i], kindA, i);
    }
    if (restB === 0) {
      kindB = kindOf(second[++j]);
      restB = lengthOf(second[j], kindB, j);
    }
    if (kindB === Kind.Insert) {
      out.insert(second[j]!.insert!, undefined);
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
      } else if (kindA === Kind.Insert) out.insert(piece(first[i], restA, n), undefined);
      else out.retain(n, undefined);
      restA -= n;
      restB -= n;
    }
  }
  return out.done() as TextOp;
}
