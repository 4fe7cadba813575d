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
  // b is walked component by component; each retain or delete of b walks a over as many
  // code units. a's position: its current component, that component's kind, and the code
  // units of it not taken yet. Components are read inline: the readers of cursor.ts cost
  // twice as much here even when the JIT inlines them. Past a's end, b's retains and
  // deletes stand as they are; past b's end, the rest of a is copied after the loop. The
  // lengths stay small integers (no Infinity for the implicit retain past an op's end),
  // which the JIT keeps unboxed.
  let i = -1;
  let kindA = Kind.End;
  let restA = 0;
  for (let j = 0; j < second.length; j++) {
    const c = second[j];
    if (c == null) throw refusal(c, j);
    let n = c.retain;
    let kindB: Kind;
    if (n !== undefined) kindB = Kind.Retain;
    else if ((n = c.delete) !== undefined) kindB = Kind.Delete;
    else {
      kindB = Kind.Insert;
      n = typeof c.insert === 'string' ? c.insert.length : 0;
    }
    if (!((n | 0) === n && n > 0)) n = lengthOf(c, kindB, j);
    if (kindB === Kind.Insert) {
      if (retained !== 0) {
        ops[count++] = { retain: retained };
        retained = 0;
      }
      const run = c as Insert;
      if (inserted === '') {
        inserted = run.insert;
        insertRun = run;
      } else {
        inserted += run.insert;
        insertRun = undefined;
      }
      continue;
    }
    const retaining = kindB === Kind.Retain;
    while (n > 0) {
      if (restA === 0) {
        if (++i >= first.length) {
          // a has run out: b's retain or delete applies to the text after it.
          i = first.length;
          if (retaining) {
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
            deleted += n;
          }
          break;
        }
        const d = first[i];
        if (d == null) throw refusal(d, i);
        let m = d.retain;
        if (m !== undefined) kindA = Kind.Retain;
        else if ((m = d.delete) !== undefined) kindA = Kind.Delete;
        else {
          kindA = Kind.Insert;
          m = typeof d.insert === 'string' ? d.insert.length : 0;
        }
        restA = (m | 0) === m && m > 0 ? m : lengthOf(d, kindA, i);
      }
      if (kindA === Kind.Delete) {
        // a's delete, whole: b never saw that text.
        if (retained !== 0) {
          ops[count++] = { retain: retained };
          retained = 0;
        }
        deleted += restA;
        restA = 0;
        continue;
      }
      const m = restA < n ? restA : n;
      if (kindA === Kind.Insert) {
        // b keeps a piece of text a inserted, or deletes it: then it never existed.
        if (retaining) {
          if (retained !== 0) {
            ops[count++] = { retain: retained };
            retained = 0;
          }
          const run = first[i] as Insert;
          const text = run.insert;
          const whole = m === restA && restA === text.length;
          const part = whole ? text : text.slice(text.length - restA, text.length - restA + m);
          if (inserted === '') {
            inserted = part;
            insertRun = whole ? run : undefined;
          } else {
            inserted += part;
            insertRun = undefined;
          }
        }
      } else if (retaining) {
        if (inserted !== '') {
          ops[count++] = insertRun ?? { insert: inserted };
          inserted = '';
          insertRun = undefined;
        }
        if (deleted !== 0) {
          ops[count++] = { delete: deleted };
          deleted = 0;
        }
        retained += m;
      } else {
        if (retained !== 0) {
          ops[count++] = { retain: retained };
          retained = 0;
        }
        deleted += m;
      }
      restA -= m;
      n -= m;
    }
  }
  // b has run out, and past its end it keeps everything: the rest of a, from what is left
  // of its current component, is copied as it is.
  let n = restA;
  for (;;) {
    if (n === 0) {
      if (++i >= first.length) break;
      const d = first[i];
      if (d == null) throw refusal(d, i);
      let m = d.retain;
      if (m !== undefined) kindA = Kind.Retain;
      else if ((m = d.delete) !== undefined) kindA = Kind.Delete;
      else {
        kindA = Kind.Insert;
        m = typeof d.insert === 'string' ? d.insert.length : 0;
      }
      n = (m | 0) === m && m > 0 ? m : lengthOf(d, kindA, i);
    }
    if (kindA === Kind.Retain) {
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
      if (kindA === Kind.Delete) deleted += n;
      else {
        const run = first[i] as Insert;
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
