/**
 * Fractional order keys for the todo list: strings over the digits `0-9a-z`, compared
 * as plain strings (code unit order), never ending in `0`, so there is always a key
 * between two different keys and before or after any key. Moving an item writes one
 * new key between its new neighbours'; items whose keys tie (two people moved items
 * to the same place at once) are ordered by id, so every replica shows one total order.
 * Keys are at most 256 digits: before one would be longer (after some 1300 additions at
 * one end) the whole list gets new, short keys.
 */

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const VALID = /^[0-9a-z]*[1-9a-z]$/;

/**
 * The longest order key. Adding at one end again and again makes keys about one digit
 * longer every five times; {@link rekey} spreads the whole list out again before a key
 * would pass this.
 */
export const MAX_KEY_LENGTH = 256;

/** Whether `key` is a well-formed order key (a key written by another replica may not be). */
export function isOrderKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= MAX_KEY_LENGTH && VALID.test(key);
}

/**
 * A key strictly between `low` and `high`; `null` is the start (for `low`) or the end
 * (for `high`) of the list.
 * @throws {RangeError} when a bound is not an order key, `low` is not below `high`, or the
 *   key between them would be longer than {@link MAX_KEY_LENGTH} (then {@link rekey} the list).
 */
export function keyBetween(low: string | null, high: string | null): string {
  if (low !== null && !isOrderKey(low)) throw new RangeError(`not an order key: ${JSON.stringify(low)}`);
  if (high !== null && !isOrderKey(high)) throw new RangeError(`not an order key: ${JSON.stringify(high)}`);
  if (low !== null && high !== null && low >= high) throw new RangeError(`no key between ${low} and ${high}: the first must be lower`);
  const key = midpoint(low ?? '', high);
  if (key.length > MAX_KEY_LENGTH) throw new RangeError(`the key between these two would have ${key.length} digits, more than ${MAX_KEY_LENGTH}: rekey the list`);
  return key;
}

/** `count` increasing keys spread evenly over the whole range (short: about one digit per 32 times more keys). */
export function spreadKeys(count: number): string[] {
  const keys: string[] = [];
  const fill = (from: number, to: number, low: string | null, high: string | null): void => {
    if (from >= to) return;
    const middle = (from + to) >>> 1;
    const key = keyBetween(low, high);
    keys[middle] = key;
    fill(from, middle, low, key);
    fill(middle + 1, to, key, high);
  };
  fill(0, count, null, null);
  return keys;
}

/** A key between `low` ('' is the start) and `high` (null is the end); `low` < `high`. */
function midpoint(low: string, high: string | null): string {
  if (high !== null) {
    // A shared prefix (reading a missing digit of `low` as 0) stays; the rest goes between.
    let shared = 0;
    while ((low[shared] ?? '0') === high[shared]) shared++;
    if (shared > 0) return high.slice(0, shared) + midpoint(low.slice(shared), high.slice(shared));
  }
  const a = low === '' ? 0 : DIGITS.indexOf(low[0]!);
  const b = high === null ? BASE : DIGITS.indexOf(high[0]!);
  if (b - a > 1) return DIGITS[Math.round((a + b) / 2)]!;
  // Adjacent first digits: `high`'s first digit alone is between when `high` goes on.
  if (high !== null && high.length > 1) return high[0]!;
  return DIGITS[a]! + midpoint(low.slice(1), null);
}

/**
 * New keys that make `keys` (in the order wanted) strictly increasing, rewriting only
 * what must change: the item at `moved` (or none, -1), ill-formed keys, and keys not
 * above the one before them. When a new key would be longer than {@link MAX_KEY_LENGTH},
 * the whole list is spread out again ({@link spreadKeys}). Returns the new key of each
 * index that changes.
 */
export function rekey(keys: readonly unknown[], moved: number): Map<number, string> {
  try {
    return rekeyInPlace(keys, moved);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const spread = spreadKeys(keys.length);
    const changes = new Map<number, string>();
    spread.forEach((key, i) => {
      if (i === moved || keys[i] !== key) changes.set(i, key);
    });
    return changes;
  }
}

/** {@link rekey} without spreading: a RangeError when a key would be too long. */
function rekeyInPlace(keys: readonly unknown[], moved: number): Map<number, string> {
  const changes = new Map<number, string>();
  let last: string | null = null;
  const keeps = (i: number): boolean => {
    const key = keys[i];
    return i !== moved && isOrderKey(key) && (last === null || key > last);
  };
  for (let i = 0; i < keys.length; i++) {
    if (keeps(i)) {
      last = keys[i] as string;
      continue;
    }
    // The next key that stays is the upper bound; everything before it gets a key below it.
    let high: string | null = null;
    for (let j = i + 1; j < keys.length; j++) {
      if (keeps(j)) {
        high = keys[j] as string;
        break;
      }
    }
    last = keyBetween(last, high);
    changes.set(i, last);
  }
  return changes;
}
