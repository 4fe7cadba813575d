import { OTError } from './errors.js';

/**
 * Which of two concurrent ops goes first where they collide. In `transform(a, b, side)`,
 * `'left'` means `a` does: its inserts land before `b`'s at the same position and its
 * attribute values win over `b`'s on the same text; `'right'` means `b` does.
 */
export type Side = 'left' | 'right';

/**
 * Refuses anything but `'left'` and `'right'`.
 * @throws {OTError} `bad-argument`.
 */
export function checkSide(side: unknown): asserts side is Side {
  if (side !== 'left' && side !== 'right') {
    throw new OTError('bad-argument', `side must be 'left' or 'right', got ${JSON.stringify(side) ?? String(side)}`);
  }
}
