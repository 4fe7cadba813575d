import { Kind, checkArray, type Insert, type LooseComponent } from '../component.js';
import { lengthOf, refusal } from '../cursor.js';
import type { TextComponent, TextOp } from './types.js';

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
  // The result is written in place of OpBuilder, whose work it does without attributes:
  // pieces are held back (a retain, or inserted text and a deleted length) until a piece
  // of another kind arrives, and `insertRun` is the insert component itself while the
  // held text is one whole insert of `a` or `b`. No result has more components than `a`
  // and `b` together, so the array is allocated once and trimmed at the end.
  const ops = new Array<TextComponent>(first.length + second.length);
  let count = 0;
  let retained = 0;
  let inserted = '';
  let insertRun: Insert | undefined;
  let deleted = 0;
  // Each op's position: its current component, that component's kind, and the code units
  // of it not taken yet. A component is read when nothing of the previous one is left, at
  // the top of the loop, inline: the readers of cursor.ts cost twice as much here even when
  // the JIT inlines them. The loop ends when either op runs out; what is left of the other
  // is copied after it, so the lengths here stay small integers (no Infinity for the
  // implicit retain past an op's end), which the JIT keeps unboxed.
  let i = -1;
  let kindA = Kind.End;
  let restA = 0;
  let j = -1;
  let kindB = Kind.End;
  let restB = 0;
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
    }
    if (kindB === Kind.Insert) {
      // b's insert, whole.
      if (retained !== 0) {
        ops[count++] = { retain: retained };
        retained = 0;
      }
      const run = second[j] as Insert;
      if (inserted === '') {
        inserted = run.insert;
        insertRun = run;
      } else {
        inserted += run.insert;
        insertRun = undefined;
      }
      restB = 0;
    } else if (kindA === Kind.Delete) {
      // a's delete, whole: b never saw that text.
      if (retained !== 0) {
        ops[count++] = { retain: retained };
        retained = 0;
      }
      deleted += restA;
      restA = 0;
    } else {
      const n = restA < restB ? restA : restB;
      if (kindB === Kind.Delete) {
        // b deletes text a retained (a delete) or inserted (nothing).
        if (kindA === Kind.Retain) {
          if (retained !== 0) {
            ops[count++] = { retain: retained };
            retained = 0;
          }
          deleted += n;
        }
      } else if (kindA === Kind.Insert) {
        // b retains text a inserted: that piece of the insert.
        if (retained !== 0) {
          ops[count++] = { retain: retained };
          retained = 0;
        }
        const run = first[i] as Insert;
        const text = run.insert;
        const whole = n === restA && restA === text.length;
        const part = whole ? text : text.slice(text.length - restA, text.length - restA + n);
        if (inserted === '') {
          inserted = part;
          insertRun = whole ? run : undefined;
        } else {
          inserted += part;
          insertRun = undefined;
        }
      } else {
        // Both retain.
        if (inserted !== '') {
          ops[count++] = insertRun ?? { insert: inserted };
          inserted = '';
          insertRun = undefined;
        }
        if (deleted !== 0) {
          ops[count++] = { delete: deleted };
          deleted = 0;
        }
        retained += n;
      }
      restA -= n;
      restB -= n;
    }
  }
  // One op has run out, and past its end it keeps everything: the rest of the other one,
  // from what is left of its current component, is copied as it is.
  const ended = i === first.length;
  const rest = ended ? second : first;
  let k = ended ? j : i;
  let kind = ended ? kindB : kindA;
  let n = ended ? restB : restA;
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
    }
    if (kind === Kind.Retain) {
      if (inserted !== '') {
        ops[count++] = insertRun ?? { insert: inserted };
        inserted = '';
        insertRun = undefined;
      }
      if (deleted !== 0) {
        ops[count++] = { delete: deleted };
        deleted = 0;
      }
      retained += n;
    } else {
      if (retained !== 0) {
        ops[count++] = { retain: retained };
        retained = 0;
      }
      if (kind === Kind.Delete) deleted += n;
      else {
        const run = rest[k] as Insert;
        const text = run.insert;
        const whole = n === text.length;
        const part = whole ? text : text.slice(text.length - n);
        if (inserted === '') {
          inserted = part;
          insertRun = whole ? run : undefined;
        } else {
          inserted += part;
          insertRun = undefined;
        }
      }
    }
    n = 0;
  }
  // A trailing retain is left out: it is implicit.
  if (inserted !== '') ops[count++] = insertRun ?? { insert: inserted };
  if (deleted !== 0) ops[count++] = { delete: deleted };
  return count === ops.length ? ops : ops.slice(0, count);
}
