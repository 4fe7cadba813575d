import { Kind, checkArray, type Insert, type LooseComponent } from '../component.js';
import { lengthOf, refusal } from '../cursor.js';
import { checkSide, type Side } from '../side.js';
import type { TextComponent, TextOp } from './types.js';

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
  // The result is written as in compose.ts: pieces held back until one of another kind
  // arrives, into an array allocated once (no result has more components than `a` and
  // `b` together) and trimmed at the end.
  const ops = new Array<TextComponent>(mine.length + theirs.length);
  let count = 0;
  let retained = 0;
  let inserted = '';
  let insertRun: Insert | undefined;
  let deleted = 0;
  // Each op's position, read inline as in compose.ts. The loop ends when either op runs
  // out: past a's end there is nothing left to rewrite, and past b's end the rest of a
  // carries over as it is.
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
    }
    if (kindA === Kind.Insert && (left || kindB !== Kind.Insert)) {
      // a's insert, whole, before b's at the same position when a is on the left.
      if (retained !== 0) {
        ops[count++] = { retain: retained };
        retained = 0;
      }
      const run = mine[i] as Insert;
      if (inserted === '') {
        inserted = run.insert;
        insertRun = run;
      } else {
        inserted += run.insert;
        insertRun = undefined;
      }
      restA = 0;
    } else if (kindB === Kind.Insert || (kindB === Kind.Retain && kindA === Kind.Retain)) {
      // Text b inserted, or text both keep: kept.
      const n = kindB === Kind.Insert ? restB : restA < restB ? restA : restB;
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
      restB -= n;
      if (kindB !== Kind.Insert) restA -= n;
    } else {
      // a deletes text b keeps (still a delete), or b deletes it already (nothing left).
      const n = restA < restB ? restA : restB;
      if (kindB === Kind.Retain) {
        if (retained !== 0) {
          ops[count++] = { retain: retained };
          retained = 0;
        }
        deleted += n;
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
          // Inserts are taken whole, so this one is untouched.
          const run = mine[i] as Insert;
          if (inserted === '') {
            inserted = run.insert;
            insertRun = run;
          } else {
            inserted += run.insert;
            insertRun = undefined;
          }
        }
      }
      n = 0;
    }
  }
  // A trailing retain is left out: it is implicit.
  if (inserted !== '') ops[count++] = insertRun ?? { insert: inserted };
  if (deleted !== 0) ops[count++] = { delete: deleted };
  return count === ops.length ? ops : ops.slice(0, count);
}
