/**
 * Waiting for replicas in different pages to agree. Convergence is polled: every replica's
 * value is read, and the wait ends once all are deep-equal, satisfy the caller's
 * expectation, and stay so for one more poll (so a value that agrees for an instant while
 * a change is still in flight does not count).
 */
import { isDeepStrictEqual, inspect } from 'node:util';

/** How a convergence wait polls. */
export interface ConvergeOptions<T> {
  /** What is compared, for the failure message ("editor text", "todo list"). */
  readonly what: string;
  /** Give up after this many milliseconds (default 30 000). */
  readonly timeout?: number;
  /** Milliseconds between polls (default 100). */
  readonly interval?: number;
  /** The agreed value must also satisfy this (e.g. contain every edit made), else keep waiting. */
  readonly until?: (value: T) => boolean;
}

/**
 * Polls `read` on every replica until all values are equal (and accepted by `until`) on
 * two polls in a row, and returns the agreed value.
 *
 * @throws Error after `timeout` ms, naming `what` and showing each replica's last value;
 * also rethrows the last read's error when the reads kept failing.
 */
export async function waitForConverged<R, T>(
  replicas: readonly [R, ...R[]],
  read: (replica: R) => Promise<T>,
  options: ConvergeOptions<T>,
): Promise<T> {
  const { what, timeout = 30_000, interval = 100, until = () => true } = options;
  const [first, ...others] = replicas;
  const deadline = Date.now() + timeout;
  let previous: { readonly value: T } | undefined;
  let last: readonly T[] = [];
  let failure: unknown;
  for (;;) {
    try {
      const [value, ...rest] = await Promise.all([read(first), ...others.map(read)]);
      last = [value, ...rest];
      failure = undefined;
      const agreed = rest.every((other) => isDeepStrictEqual(other, value)) && until(value);
      if (agreed && previous !== undefined && isDeepStrictEqual(previous.value, value)) return value;
      previous = agreed ? { value } : undefined;
    } catch (error) {
      failure = error;
      previous = undefined;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  if (failure !== undefined) throw failure;
  const shown = last.map((value, i) => `  replica ${i}: ${inspect(value, { depth: 5, breakLength: 120 })}`).join('\n');
  throw new Error(`${what} did not converge within ${timeout} ms; last values:\n${shown}`);
}
