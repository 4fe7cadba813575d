/**
 * Reconnection delays: exponential backoff with full jitter and a cap. Attempt `n` (from
 * 0) waits a uniformly random time in `[0, min(cap, base · factor^n))`, so clients cut off
 * together do not reconnect together.
 */

/** How reconnection delays grow. */
export interface BackoffOptions {
  /** The ceiling of the first delay, in milliseconds; default 250. */
  readonly base?: number;
  /** How much the ceiling grows per failed attempt; default 2. */
  readonly factor?: number;
  /** The largest ceiling, in milliseconds; default 10 000. */
  readonly cap?: number;
}

/** Backoff options with every default filled in. */
export interface ResolvedBackoff {
  readonly base: number;
  readonly factor: number;
  readonly cap: number;
}

/**
 * Checks and completes backoff options.
 * @throws {RangeError} when `base` or `cap` is not a positive finite number, `factor` is
 *   below 1 or not finite, or `cap` is below `base`.
 */
export function resolveBackoff(options: BackoffOptions = {}): ResolvedBackoff {
  const base = options.base ?? 250;
  const factor = options.factor ?? 2;
  const cap = options.cap ?? 10_000;
  if (!(Number.isFinite(base) && base > 0)) throw new RangeError(`backoff base must be a positive number of milliseconds, got ${base}`);
  if (!(Number.isFinite(factor) && factor >= 1)) throw new RangeError(`backoff factor must be a finite number ≥ 1, got ${factor}`);
  if (!(Number.isFinite(cap) && cap >= base)) throw new RangeError(`backoff cap must be a finite number ≥ base (${base}), got ${cap}`);
  return { base, factor, cap };
}

/**
 * The delay before reconnection attempt `attempt` (0 for the first retry): full jitter
 * over `[0, min(cap, base · factor^attempt))`.
 * @param random A uniform number in [0, 1); `Math.random()` by default.
 * @throws {RangeError} when `attempt` is not a non-negative integer or `random` is outside [0, 1).
 */
export function backoffDelay(attempt: number, backoff: ResolvedBackoff, random: number = Math.random()): number {
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  if (!(random >= 0 && random < 1)) throw new RangeError(`random must be in [0, 1), got ${random}`);
  return Math.floor(random * backoffCeiling(attempt, backoff));
}

/** The upper bound of attempt `attempt`'s delay: `min(cap, base · factor^attempt)`. */
export function backoffCeiling(attempt: number, backoff: ResolvedBackoff): number {
  // Past the cap the power only grows; stop before it overflows to Infinity.
  const ceiling = backoff.base * Math.pow(backoff.factor, Math.min(attempt, 1024));
  return Number.isFinite(ceiling) ? Math.min(backoff.cap, ceiling) : backoff.cap;
}
