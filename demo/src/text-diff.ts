/**
 * How the editor turns a textarea's new value into one `Text` edit, and moves indexes
 * (the selection, a pending local edit) through a remote change. Pure functions over
 * UTF-16 strings; no DOM.
 */
import { isWellFormed } from '../../src/codec/index.js';
import type { DeltaOp, Text } from '../../src/crdt/index.js';

/** One edit of a string: at `index`, delete `remove` code units, then insert `insert`. */
export interface Splice {
  readonly index: number;
  readonly remove: number;
  readonly insert: string;
}

/**
 * The splice that turns `before` into `after` (undefined when they are equal). Typing,
 * deleting, pasting over a selection and IME composition all change one contiguous
 * range; `caret`, the end of the selection in `after`, says where that range ends when
 * the text around it repeats (typing `a` between two `a`s is an insert at the caret,
 * not at the end of the run). Never splits a surrogate pair.
 */
export function spliceBetween(before: string, after: string, caret: number): Splice | undefined {
  if (before === after) return undefined;
  const shortest = Math.min(before.length, after.length);
  // The text after the caret is what the edit left alone: the common suffix stops there.
  const suffixLimit = Math.min(shortest, Math.max(0, after.length - caret));
  let suffix = 0;
  while (suffix < suffixLimit && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  let prefix = 0;
  while (prefix < shortest - suffix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { index: prefix, remove: before.length - prefix - suffix, insert: after.slice(prefix, after.length - suffix) };
}

/**
 * Where `index` of the text before `delta` stands after it. Text inserted exactly at the
 * index lands after it when `assoc` is `before` (the index sticks to what precedes it),
 * before it when `after`; an index inside a deleted range moves to the range's start.
 */
export function transformIndex(index: number, delta: readonly DeltaOp<string>[], assoc: 'before' | 'after'): number {
  let at = 0;
  let moved = index;
  for (const op of delta) {
    if (at > index) break;
    if ('retain' in op) {
      at += op.retain;
    } else if ('insert' in op) {
      if (at < index || (at === index && assoc === 'after')) moved += op.insert.length;
    } else {
      if (at < index) moved -= Math.min(op.delete, index - at);
      at += op.delete;
    }
  }
  return moved;
}

/**
 * Applies `local`, a splice of the text as it was before the remote deltas `waiting` were
 * applied to it, to `text`: the range, moved through them, is deleted and the insert put
 * where it starts. All or nothing: an insert that is not well-formed UTF-16 (a lone
 * surrogate from a broken paste, which `Text` refuses) applies nothing, not even the
 * delete, and returns false.
 */
export function applySplice(text: Text, local: Splice, waiting: readonly (readonly DeltaOp<string>[])[]): boolean {
  if (!isWellFormed(local.insert)) return false;
  const from = transformThrough(local.index, waiting, 'after');
  const to = Math.max(from, transformThrough(local.index + local.remove, waiting, 'before'));
  if (to > from) text.delete(from, to - from);
  if (local.insert !== '') text.insert(from, local.insert);
  return true;
}

/** `transformIndex` through several deltas in order. */
export function transformThrough(index: number, deltas: readonly (readonly DeltaOp<string>[])[], assoc: 'before' | 'after'): number {
  let moved = index;
  for (const delta of deltas) moved = transformIndex(moved, delta, assoc);
  return moved;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
