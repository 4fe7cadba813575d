/**
 * A Lamport clock: a counter that every local event advances and every observed remote
 * time pushes past, so that if event A could have caused event B, A's time < B's time.
 */
export class LamportClock {
  private current: number;

  /** @param start the last time already used (0 for a new clock). */
  constructor(start = 0) {
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`start must be a safe integer ≥ 0, got ${start}`);
    this.current = start;
  }

  /** The last time used or observed. */
  get time(): number {
    return this.current;
  }

  /**
   * Advances the clock for a local event and returns the event's time.
   * @throws {RangeError} when the clock would pass 2^53 − 1.
   */
  tick(): number {
    if (this.current >= Number.MAX_SAFE_INTEGER) throw new RangeError('Lamport clock exhausted');
    return ++this.current;
  }

  /**
   * Takes in a time seen on a remote event, so later local events come after it.
   * @throws {RangeError} when `time` is not a safe integer ≥ 0.
   */
  observe(time: number): void {
    if (!Number.isSafeInteger(time) || time < 0) throw new RangeError(`time must be a safe integer ≥ 0, got ${time}`);
    if (time > this.current) this.current = time;
  }
}
