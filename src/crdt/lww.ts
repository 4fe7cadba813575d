/**
 * Last-writer-wins writes, shared by `LWWRegister` and `LWWMap`: a value (or a deletion)
 * stamped with a hybrid logical clock timestamp and the dot of the event that wrote it.
 */
import { compareValues, expectUint, valueFromJSON, type DecodeLimits, type JsonValue, type Reader, type Writer } from '../codec/index.js';
import { DecodeError } from '../codec/index.js';
import { MAX_LOGICAL, MAX_WALL, compareTimestamps, type Dot } from './clock/index.js';
import { dotFromJSON } from './wire.js';

/** A write: its event, its timestamp, and the value (`undefined` for a map deletion). */
export interface Write extends Dot {
  readonly wall: number;
  readonly logical: number;
  readonly value: JsonValue | undefined;
}

/**
 * Orders writes: by timestamp `(wall, logical, replica)`, and for two writes with equal
 * timestamps (only a faulty peer makes them) by value, so every replica still picks the
 * same winner.
 */
export function compareWrites(a: Write, b: Write): number {
  const byTime = compareTimestamps(a, b);
  if (byTime !== 0) return byTime;
  if (a.value === undefined || b.value === undefined) return (a.value === undefined ? 0 : 1) - (b.value === undefined ? 0 : 1);
  return compareValues(a.value, b.value);
}

/** Whether two writes are the same event with the same content. */
export function sameWrite(a: Write, b: Write): boolean {
  return a.replica === b.replica && a.counter === b.counter && compareWrites(a, b) === 0;
}

/**
 * Throws when `incoming` contradicts this replica's history: it claims the dot of
 * `current` with different content, or it is an event this replica has already seen
 * (`seen`) yet would beat what the replica holds for that key. Only a faulty peer sends
 * either; taking it would split the replicas or give two writes one dot.
 */
export function checkHistory(current: Write | undefined, incoming: Write, seen: boolean): void {
  if (current !== undefined && current.replica === incoming.replica && current.counter === incoming.counter) {
    if (!sameWrite(current, incoming)) {
      throw new DecodeError('invalid-value', `two different writes claim the event (${incoming.replica}, ${incoming.counter})`);
    }
  } else if (seen && (current === undefined || compareWrites(incoming, current) > 0)) {
    throw new DecodeError('invalid-value', `event (${incoming.replica}, ${incoming.counter}) was another write here`);
  }
}

/** Reads a wall time, refusing times past year 9999. */
export function readWall(r: Reader): number {
  const wall = r.uint();
  if (wall > MAX_WALL) throw r.error('invalid-value', `wall time ${wall} is past year 9999`);
  return wall;
}

/** Reads a logical time, refusing counters past {@link MAX_LOGICAL}. */
export function readLogical(r: Reader): number {
  const logical = r.uint();
  if (logical > MAX_LOGICAL) throw r.error('invalid-value', `logical time ${logical} is past ${MAX_LOGICAL}`);
  return logical;
}

/**
 * Writes a timestamp as signed steps from the previous entry's (`FORMAT.md` 1.5): one
 * byte each when writes come in order.
 */
export function writeStamp(w: Writer, stamp: Write, previous: Write | undefined): void {
  w.sint(stamp.wall - (previous?.wall ?? 0));
  w.sint(stamp.logical - (previous?.logical ?? 0));
}

/** Reads the wall time of a timestamp written by {@link writeStamp}. */
export function readStampWall(r: Reader, previous: Write | undefined): number {
  const wall = (previous?.wall ?? 0) + r.sint();
  if (wall < 0 || wall > MAX_WALL) throw r.error('invalid-value', `wall time ${wall} is outside 0 … year 9999`);
  return wall;
}

/** Reads the logical time of a timestamp written by {@link writeStamp}, after its wall time. */
export function readStampLogical(r: Reader, previous: Write | undefined): number {
  const logical = (previous?.logical ?? 0) + r.sint();
  if (logical < 0 || logical > MAX_LOGICAL) throw r.error('invalid-value', `logical time ${logical} is outside 0 … ${MAX_LOGICAL}`);
  return logical;
}

/** The common fields of a write in a JSON twin. */
export function writeFromJSON(o: Record<string, unknown>, path: string, limits: DecodeLimits, withValue: boolean): Write {
  const dot = dotFromJSON(o, path);
  const wall = expectUint(o.wall, `${path}.wall`);
  if (wall > MAX_WALL) throw new DecodeError('invalid-value', `${path}.wall is past year 9999`);
  const hasValue = withValue || Object.hasOwn(o, 'value');
  const logical = expectUint(o.logical, `${path}.logical`);
  if (logical > MAX_LOGICAL) throw new DecodeError('invalid-value', `${path}.logical is past ${MAX_LOGICAL}`);
  return {
    ...dot,
    wall,
    logical,
    value: hasValue ? valueFromJSON(o.value, limits) : undefined,
  };
}

/** The JSON twin of a write. */
export function writeToJSON(w: Write): Record<string, unknown> {
  const out: Record<string, unknown> = { replica: w.replica, counter: w.counter, wall: w.wall, logical: w.logical };
  if (w.value !== undefined) out.value = w.value;
  return out;
}

/** Limits type re-exported for the codecs that use {@link writeFromJSON}. */
export type { DecodeLimits };
