import { OpBuilder } from '../builder.js';
import { Kind, checkArray, type Insert, type LooseComponent } from '../component.js';
import { lengthOf, piece, refusal } from '../cursor.js';
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
  // is read when nothing of the previous one is left, at the top of the loop, inline: the
  // readers of cursor.ts cost twice as much here even when the JIT inlines them.
  let i = -1;
  let kindA = Kind.End;
  let restA = 0;
  let j = -1;
  let kindB = Kind.End;
  let restB = 0;
  for (;;) {
    if (restA === 0) {
      if (++i < first.length) {
        const c = first[i];
        if (typeof c !== 'object' || c === null) throw refusal(c, i);
        kindA = c.retain !== undefined ? Kind.Retain : c.delete !== undefined ? Kind.Delete : Kind.Insert;
        restA = kindA === Kind.Retain ? c.retain! : kindA === Kind.Delete ? c.delete! : typeof c.insert === 'string' ? c.insert.length : 0;
        if (!((restA | 0) === restA && restA > 0)) restA = lengthOf(c, kindA, i);
      } else {
        kindA = Kind.End;
        restA = Infinity;
      }
    }
    if (restB === 0) {
      if (++j < second.length) {
        const c = second[j];
        if (typeof c !== 'object' || c === null) throw refusal(c, j);
        kindB = c.retain !== undefined ? Kind.Retain : c.delete !== undefined ? Kind.Delete : Kind.Insert;
        restB = kindB === Kind.Retain ? c.retain! : kindB === Kind.Delete ? c.delete! : typeof c.insert === 'string' ? c.insert.length : 0;
        if (!((restB | 0) === restB && restB > 0)) restB = lengthOf(c, kindB, j);
      } else {
        kindB = Kind.End;
        restB = Infinity;
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
        if (n === restA && restA === first[i]!.insert!.length) out.whole(first[i] as Insert);
        else out.insert(piece(first[i], restA, n), undefined);
      }
      else out.retain(n, undefined);
      restA -= n;
      restB -= n;
    }
  }
  return out.done() as TextOp;
}
