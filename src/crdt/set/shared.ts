import type { JsonValue } from '../../codec/index.js';
import type { ChangeEvent } from '../replicated.js';

/** Emitted when a set changes. */
export interface SetChange<T> extends ChangeEvent {
  /** Elements that became members. */
  readonly added: readonly T[];
  /** Elements that stopped being members. */
  readonly removed: readonly T[];
}

/** Values in the order of their JSON text: the same order on every replica. */
export function sortValues<T extends JsonValue>(values: Iterable<T>): T[] {
  const keyed: [string, T][] = [];
  for (const v of values) keyed.push([JSON.stringify(v), v]);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return keyed.map((k) => k[1]);
}
