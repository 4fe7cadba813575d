import { checkSide, type Side } from './side.js';
import { type Component, type LooseComponent, checkArray } from './component.js';
import { OTError } from './errors.js';

/**
 * Where position `index` of the document before `op` lies in the document after it: a
 * cursor or selection end moved past what `op` inserted before it and pulled back over
 * what it deleted. A position inside deleted text lands where the deletion was.
 *
 * `side` settles text inserted exactly at `index`: `'left'` keeps the position before it,
 * `'right'` moves it after. The result is always what {@link transform} does to an empty
 * insert at `index` on the same side, so positions and ops never disagree. Works for
 * plain-text and rich-text ops alike (attributes do not move positions).
 *
 * @throws {OTError} `bad-argument` when `index` is not a safe integer ≥ 0 or `side` is
 *   neither `'left'` nor `'right'`; a grammar rule when `op` is malformed.
 */
export function transformPosition(index: number, op: readonly Component[], side: Side): number {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new OTError('bad-argument', `a position must be a safe integer ≥ 0, got ${String(index)}`);
  }
  checkSide(side);
  checkArray(op);
  const components = op as readonly LooseComponent[];
  let base = 0;
  let out = 0;
  for (let i = 0; i < components.length; i++) {
    const c = components[i];
    if (typeof c !== 'object' || c === null) throw new OTError('malformed', 'a component must be an object', i);
    if (typeof c.insert === 'string') {
      if (base === index && side === 'left') return out;
      out += c.insert.length;
      continue;
    }
    if (base === index) return out;
    const n = c.retain ?? c.delete;
    if (typeof n !== 'number' || !(n >= 1) || !Number.isSafeInteger(n)) {
      throw new OTError('malformed', 'a component has exactly one of retain, insert, delete, with a length ≥ 1', i);
    }
    const step = Math.min(n, index - base);
    base += step;
    if (c.retain !== undefined) out += step;
    if (step < n) return out;
  }
  return out + (index - base);
}
