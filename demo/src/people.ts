/**
 * What each person shares as presence on the editor document, and reading it back from
 * the others (their states arrive as any JSON: anything malformed is ignored).
 */
import type { JsonValue } from '../../src/codec/index.js';
import type { Anchor } from '../../src/crdt/index.js';

/** One person's presence: their name and colour, and where their caret is. */
export interface Person {
  readonly name: string;
  readonly color: string;
  readonly cursor: Anchor;
}

const COLOR = /^hsl\(\d{1,3} \d{1,3}% \d{1,3}%\)$/;

/** A person's state as JSON, for `presence.set`. */
export function personState(person: Person): JsonValue {
  return { name: person.name, color: person.color, cursor: { ...person.cursor } };
}

/** The person a peer's state describes, or undefined when it is not one. */
export function readPerson(state: JsonValue): Person | undefined {
  if (!isRecord(state)) return undefined;
  const { name, color, cursor } = state;
  if (typeof name !== 'string' || name.length === 0 || name.length > 40) return undefined;
  const anchor = readAnchor(cursor);
  if (anchor === undefined) return undefined;
  return { name, color: typeof color === 'string' && COLOR.test(color) ? color : 'hsl(0 0% 40%)', cursor: anchor };
}

function readAnchor(value: JsonValue | undefined): Anchor | undefined {
  if (!isRecord(value)) return undefined;
  if (value.edge === 'start' || value.edge === 'end') return { edge: value.edge };
  const { replica, counter, assoc } = value;
  if (typeof replica !== 'string' || typeof counter !== 'number' || !Number.isSafeInteger(counter)) return undefined;
  if (assoc !== 'before' && assoc !== 'after') return undefined;
  return { replica, counter, assoc };
}

function isRecord(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
