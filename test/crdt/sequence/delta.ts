/**
 * A minimal Quill Delta `apply` for checking change events: walks `ops` over `before`
 * (a string or an array), keeping, inserting and deleting items. Written independently
 * of the engine so that the events are checked against a second implementation.
 */
import type { DeltaOp } from '../../../src/index.js';

/** The content `ops` turn `before` into. Throws when `ops` retain or delete past the end. */
export function applyDelta<C extends string | readonly unknown[]>(before: C, ops: readonly DeltaOp<C>[]): C {
  const parts: (string | readonly unknown[])[] = [];
  let at = 0;
  for (const op of ops) {
    if ('retain' in op) {
      if (!(op.retain > 0) || at + op.retain > before.length) throw new Error(`bad retain ${op.retain} at ${at} of ${before.length}`);
      parts.push(before.slice(at, at + op.retain));
      at += op.retain;
    } else if ('delete' in op) {
      if (!(op.delete > 0) || at + op.delete > before.length) throw new Error(`bad delete ${op.delete} at ${at} of ${before.length}`);
      at += op.delete;
    } else {
      if (op.insert.length === 0) throw new Error('empty insert');
      parts.push(op.insert);
    }
  }
  parts.push(before.slice(at));
  if (typeof before === 'string') return parts.join('') as C;
  return (parts as (readonly unknown[])[]).flat() as unknown as C;
}

/**
 * Whether `ops` are in Quill's normal form: one key per op, no two adjacent ops of one
 * kind, an insert before (never after) a delete at the same place, no trailing retain.
 */
export function normal<C extends string | readonly unknown[]>(ops: readonly DeltaOp<C>[]): boolean {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const prev = ops[i - 1];
    const kind = Object.keys(op)[0];
    if (Object.keys(op).length !== 1) return false;
    if (prev !== undefined && Object.keys(prev)[0] === kind) return false;
    if (kind === 'insert' && prev !== undefined && 'delete' in prev) return false;
  }
  const last = ops[ops.length - 1];
  return last === undefined || !('retain' in last);
}
