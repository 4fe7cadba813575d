/**
 * A hybrid logical clock timestamp: wall-clock milliseconds, a logical counter for events
 * within the same millisecond (or after observing a clock that runs ahead), and the
 * writer's replica id as the final, deterministic tiebreak.
 */
export interface Timestamp {
  readonly wall: number;
  readonly logical: number;
  readonly replica: string;
}

/** The latest wall time accepted: 9999-12-31T23:59:59.999Z, in milliseconds. */
export const MAX_WALL = 253_402_300_799_999;

/**
 * The largest logical counter accepted from a peer, and the largest the clock issues
 * before it moves on to the next millisecond: far more events than one millisecond holds,
 * and far below 2^53, so no timestamp can exhaust the clock.
 */
export const MAX_LOGICAL = 0xffff_ffff;

/**
 * Orders timestamps by wall time, then logical counter, then replica id (UTF-16 code
 * units). Two distinct writers never tie, so last-writer-wins is deterministic.
 */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.wall !== b.wall) return a.wall - b.wall;
  if (a.logical !== b.logical) return a.logical - b.logical;
  if (a.replica === b.replica) return 0;
  return a.replica < b.replica ? -1 : 1;
}

/** Options of {@link HybridLogicalClock}. */
export interface HybridLogicalClockOptions {
  /** The replica that stamps events. */
  readonly replica: string;
  /** Physical time source in milliseconds; `Date.now` by default (tests inject their own). */
  readonly now?: () => number;
}

/**
 * A hybrid logical clock (Kulkarni et al.) for last-writer-wins.
 *
 * Far-future policy: a remote timestamp is always accepted, however far ahead of the
 * local clock it is, and the local clock then continues from it. Refusing it would make
 * replicas diverge, since whether a time is "in the future" depends on each receiver's
 * own clock; continuing from it keeps the causal order, so a write made after seeing a
 * value always beats that value. The cost is that after seeing a far-future time, local
 * timestamps run ahead of real time (their logical part counts up) until real time
 * catches up; {@link HybridLogicalClock.drift} tells by how much. Only wall times past
 * {@link MAX_WALL} (year 9999) and logical counters past {@link MAX_LOGICAL} are refused,
 * as corrupt, and that rule is the same on every replica. When the logical counter
 * reaches {@link MAX_LOGICAL} the clock moves on to the next millisecond. A peer that
 * writes at the very end of year 9999 still freezes last-writer-wins for what it wrote:
 * that is inherent to last-writer-wins, and deciding who may write is the sync layer's
 * authorisation's job.
 */
export class HybridLogicalClock {
  /** The replica whose timestamps this clock issues. */
  readonly replica: string;
  private readonly physical: () => number;
  private wall = 0;
  private logical = 0;

  /** @throws {TypeError} when `options.now` is given and is not a function. */
  constructor(options: HybridLogicalClockOptions) {
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new TypeError('now must be a function returning milliseconds, such as Date.now');
    }
    this.replica = options.replica;
    this.physical = options.now ?? Date.now;
  }

  /** The latest timestamp issued or observed. */
  get last(): Timestamp {
    return { wall: this.wall, logical: this.logical, replica: this.replica };
  }

  /** How far, in milliseconds, the clock runs ahead of physical time (0 when it does not). */
  get drift(): number {
    return Math.max(0, this.wall - this.physical());
  }

  /**
   * A new timestamp, greater than every timestamp issued or observed before.
   * @throws {RangeError} when the physical clock reads past {@link MAX_WALL}, or when the
   *   clock has reached the last millisecond of year 9999 (only a timestamp observed from
   *   a faulty or hostile peer can bring it there).
   */
  now(): Timestamp {
    const physical = Math.floor(this.physical());
    if (!(physical <= MAX_WALL)) throw new RangeError(`physical clock reads ${physical}, past year 9999`);
    if (physical > this.wall) {
      this.wall = physical;
      this.logical = 0;
    } else if (this.logical < MAX_LOGICAL) {
      this.logical++;
    } else {
      if (this.wall >= MAX_WALL) {
        throw new RangeError('the clock has reached the end of year 9999: a peer wrote with a timestamp there');
      }
      this.wall++;
      this.logical = 0;
    }
    return { wall: this.wall, logical: this.logical, replica: this.replica };
  }

  /** Takes in a remote timestamp (already validated), so later local ones beat it. */
  observe(wall: number, logical: number): void {
    if (wall > this.wall || (wall === this.wall && logical > this.logical)) {
      this.wall = wall;
      this.logical = logical;
    }
  }
}
