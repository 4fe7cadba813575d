import type { Reader } from './reader.js';
import { utf8Length } from './writer.js';
import type { Writer } from './writer.js';
import { isWellFormed } from './value.js';

/** Longest replica id, in UTF-8 bytes. */
export const MAX_REPLICA_ID_BYTES = 64;

/** What is wrong with a would-be replica id, or `undefined` when it is valid. */
export function replicaIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return `a replica id must be a string, got ${id === null ? 'null' : typeof id}`;
  if (id.length === 0) return 'a replica id must not be empty';
  if (!isWellFormed(id)) return 'a replica id must be well-formed UTF-16 (no lone surrogate)';
  if (id.length > MAX_REPLICA_ID_BYTES || utf8Length(id) > MAX_REPLICA_ID_BYTES) {
    return `a replica id has at most ${MAX_REPLICA_ID_BYTES} UTF-8 bytes, got ${utf8Length(id)}`;
  }
  return undefined;
}

/**
 * Validates a replica id given to a local method.
 * @throws {TypeError} when it is not a string; {@link RangeError} when it is empty, too
 *   long or not well-formed.
 */
export function checkReplicaId(id: unknown, what = 'replica'): string {
  const problem = replicaIdProblem(id);
  if (problem === undefined) return id as string;
  if (typeof id !== 'string') throw new TypeError(`${what}: ${problem}`);
  throw new RangeError(`${what}: ${problem}`);
}

/** Collects the replicas a payload names, then writes the sorted table and their refs. */
export class ReplicaTableWriter {
  private readonly seen = new Set<string>();
  private index: Map<string, number> | undefined;

  /** Notes a replica the payload will reference. */
  add(id: string): void {
    this.seen.add(id);
  }

  /** Writes the table (`FORMAT.md` 1.2); after this, only {@link ref} may be called. */
  write(w: Writer): void {
    const ids = [...this.seen].sort();
    this.index = new Map();
    w.uint(ids.length);
    for (let i = 0; i < ids.length; i++) {
      w.str(ids[i]!);
      this.index.set(ids[i]!, i);
    }
  }

  /** Writes the ref of a replica noted with {@link add}. */
  ref(w: Writer, id: string): void {
    const i = this.index?.get(id);
    if (i === undefined) throw new Error(`replica ${id} was not added to the table before writing`);
    w.uint(i);
  }
}

/** A replica table read from a payload; tracks which entries were referenced. */
export class ReplicaTableReader {
  readonly ids: string[];
  private readonly used: Uint8Array;

  constructor(r: Reader) {
    const n = r.count(2);
    this.ids = new Array(n);
    this.used = new Uint8Array(n);
    let previous: string | undefined;
    for (let i = 0; i < n; i++) {
      const id = r.str();
      const problem = replicaIdProblem(id);
      if (problem !== undefined) throw r.error('invalid-value', problem);
      if (previous !== undefined && !(previous < id)) {
        throw r.error('non-canonical', 'replica table must be strictly increasing');
      }
      previous = id;
      this.ids[i] = id;
    }
  }

  /** Reads a ref and returns the replica it names. */
  ref(r: Reader): string {
    const i = r.uint();
    const id = this.ids[i];
    if (id === undefined) throw r.error('invalid-value', `replica ref ${i} outside a table of ${this.ids.length}`);
    this.used[i] = 1;
    return id;
  }

  /** Reads a ref and returns its index, so callers can check ordering cheaply. */
  refIndex(r: Reader): number {
    const i = r.uint();
    if (i >= this.ids.length) throw r.error('invalid-value', `replica ref ${i} outside a table of ${this.ids.length}`);
    this.used[i] = 1;
    return i;
  }

  /**
   * Reads a ref that must come after `previous` (-1 at first): lists keyed by replica
   * are written in table order, one entry per replica.
   */
  refAfter(r: Reader, previous: number, what: string): number {
    const i = this.refIndex(r);
    if (i <= previous) throw r.error('non-canonical', `${what} must be in strictly increasing replica order`);
    return i;
  }

  /** Marks entry `i` as referenced. */
  use(i: number): void {
    this.used[i] = 1;
  }

  /** Throws unless every table entry was referenced (the JSON twin could not reproduce it). */
  finish(r: Reader): void {
    const unused = this.used.indexOf(0);
    if (unused !== -1) throw r.error('non-canonical', `replica ${this.ids[unused]} is in the table but never referenced`);
  }
}
