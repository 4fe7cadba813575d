import { OpBuilder } from '../builder.js';
import { Kind, checkArray, type Insert, type LooseComponent } from '../component.js';
import { lengthOf, refusal } from '../cursor.js';
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
  checkArray(a);
  checkArray(b);
  const left = side === 'left';
  const mine: readonly LooseComponent[] = a;
  const theirs: readonly LooseComponent[] = b;
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
      if (++i === mine.length) break;
      const c = mine[i];
      if (typeof c !== 'object' || c === null) throw refusal(c, i);
      kindA = c.retain !== undefined ? Kind.Retain : c.delete !== undefined ? Kind.Delete : Kind.Insert;
      restA = kindA === Kind.Retain ? c.retain! : kindA === Kind.Delete ? c.delete! : typeof c.insert === 'string' ? c.insert.length : 0;
      if (!((restA | 0) === restA && restA > 0)) restA = lengthOf(c, kindA, i);
    }
    if (restB === 0) {
      if (++j < theirs.length) {
        const c = theirs[j];
        if (typeof c !== 'object' || c === null) throw refusal(c, j);
        kindB = c.retain !== undefined ? Kind.Retain : c.delete !== undefined ? Kind.Delete : Kind.Insert;
        restB = kindB === Kind.Retain ? c.retain! : kindB === Kind.Delete ? c.delete! : typeof c.insert === 'string' ? c.insert.length : 0;
        if (!((restB | 0) === restB && restB > 0)) restB = lengthOf(c, kindB, j);
      } else {
        kindB = Kind.End;
        restB = Infinity;
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
        else out.retain(n, undefined);
      }
      restA -= n;
      restB -= n;
    }
  }
  return out.done() as TextOp;
}
