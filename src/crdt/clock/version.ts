import { checkReplicaId, defineOwn } from '../../codec/index.js';

/**
 * A version vector in its JSON form: for each replica, the number of that replica's
 * events seen. Replicas not listed count as 0. Keys such as `__proto__` are ordinary.
 *
 * @example { alice: 3, bob: 12 }
 */
export type Version = { readonly [replica: string]: number };

/** How two versions relate: causally before, after, equal, or concurrent. */
export type Ordering = 'before' | 'after' | 'equal' | 'concurrent';

/**
 * An event identifier: the `counter`-th event of `replica` (counters start at 1).
 */
export interface Dot {
  readonly replica: string;
  readonly counter: number;
}

/**
 * A mutable version vector: the causal context of a replica. Each replica's counter only
 * grows; {@link VersionVector.merge} takes the element-wise maximum.
 */
export class VersionVector {
  private readonly counters = new Map<string, number>();

  /**
   * Builds a vector from its JSON form.
   * @throws {TypeError} when `version` is not an object of replica ids to positive safe
   *   integers; {@link RangeError} when a replica id is invalid.
   */
  static from(version: Version, what = 'version'): VersionVector {
    const vv = new VersionVector();
    if (typeof version !== 'object' || version === null || Array.isArray(version)) {
      throw new TypeError(`${what} must be an object such as { alice: 3 }`);
    }
    for (const replica of Object.keys(version)) {
      checkReplicaId(replica, `${what} key`);
      const counter = version[replica];
      if (typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < 0) {
        throw new TypeError(`${what}[${JSON.stringify(replica)}] must be a safe integer ≥ 0, got ${String(counter)}`);
      }
      if (counter > 0) vv.counters.set(replica, counter);
    }
    return vv;
  }

  /** Number of replicas with a counter above 0. */
  get size(): number {
    return this.counters.size;
  }

  /** The counter of `replica` (0 when unseen). */
  get(replica: string): number {
    return this.counters.get(replica) ?? 0;
  }

  /** Raises `replica`'s counter to `counter` if that is higher; returns whether it rose. */
  observe(replica: string, counter: number): boolean {
    if (counter <= (this.counters.get(replica) ?? 0)) return false;
    this.counters.set(replica, counter);
    return true;
  }

  /**
   * Spends the next event of `replica` and returns its counter.
   * @throws {RangeError} when the counter would pass 2^53 − 1.
   */
  next(replica: string): number {
    const counter = (this.counters.get(replica) ?? 0) + 1;
    if (counter > Number.MAX_SAFE_INTEGER) throw new RangeError(`replica ${replica} has no events left`);
    this.counters.set(replica, counter);
    return counter;
  }

  /** Whether the event `dot` is in this vector. */
  contains(dot: Dot): boolean {
    return dot.counter <= (this.counters.get(dot.replica) ?? 0);
  }

  /** Whether this vector has seen everything `other` has (this ≥ other). */
  covers(other: VersionVector): boolean {
    for (const [replica, counter] of other.counters) {
      if ((this.counters.get(replica) ?? 0) < counter) return false;
    }
    return true;
  }

  /** How this vector relates to `other`. */
  compare(other: VersionVector): Ordering {
    const ge = this.covers(other);
    const le = other.covers(this);
    if (ge && le) return 'equal';
    if (ge) return 'after';
    if (le) return 'before';
    return 'concurrent';
  }

  /** Raises every counter to at least `other`'s; returns whether anything rose. */
  merge(other: VersionVector): boolean {
    let changed = false;
    for (const [replica, counter] of other.counters) {
      if (counter > (this.counters.get(replica) ?? 0)) {
        this.counters.set(replica, counter);
        changed = true;
      }
    }
    return changed;
  }

  /** The element-wise minimum of this vector and `other`. */
  meet(other: VersionVector): VersionVector {
    const out = new VersionVector();
    for (const [replica, counter] of this.counters) {
      const m = Math.min(counter, other.get(replica));
      if (m > 0) out.counters.set(replica, m);
    }
    return out;
  }

  /** Whether both vectors hold the same counters. */
  equals(other: VersionVector): boolean {
    if (this.counters.size !== other.counters.size) return false;
    for (const [replica, counter] of this.counters) if (other.counters.get(replica) !== counter) return false;
    return true;
  }

  /** An independent copy. */
  clone(): VersionVector {
    const out = new VersionVector();
    for (const [replica, counter] of this.counters) out.counters.set(replica, counter);
    return out;
  }

  /** `[replica, counter]` pairs, in no particular order. */
  entries(): IterableIterator<[string, number]> {
    return this.counters.entries();
  }

  /** The JSON form, with replicas in sorted order. */
  toJSON(): Version {
    const out: Record<string, number> = {};
    for (const replica of [...this.counters.keys()].sort()) defineOwn(out, replica, this.counters.get(replica)!);
    return out;
  }
}

/**
 * How version `a` relates to version `b`.
 * @throws {TypeError} / {@link RangeError} when either is not a valid version.
 */
export function compareVersions(a: Version, b: Version): Ordering {
  return VersionVector.from(a, 'a').compare(VersionVector.from(b, 'b'));
}

/** Orders dots by replica (UTF-16 code units), then counter. */
export function compareDots(a: Dot, b: Dot): number {
  if (a.replica !== b.replica) return a.replica < b.replica ? -1 : 1;
  return a.counter - b.counter;
}
