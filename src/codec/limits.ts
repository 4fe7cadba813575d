/**
 * Bounds on what a decoder accepts, so that a hostile or corrupted frame cannot make a
 * replica allocate or loop without limit. Every bound is checked before the allocation
 * it guards. Defaults are in {@link DEFAULT_LIMITS}.
 */
export interface DecodeLimits {
  /** Largest frame accepted, in bytes. */
  readonly maxBytes: number;
  /** Entries, elements, ranges and collection items in one frame, in total. */
  readonly maxItems: number;
  /** Longest string or byte array, in bytes. */
  readonly maxStringBytes: number;
  /** Deepest nesting of arrays and objects inside one value. */
  readonly maxDepth: number;
  /** Frames a replica holds while it waits for the updates they build on. */
  readonly maxPending: number;
  /** Total bytes of the frames a replica holds while it waits. */
  readonly maxPendingBytes: number;
}

/** The deepest `maxDepth` allowed: deeper values would overflow the decoder's stack. */
export const MAX_DEPTH = 1000;

/** The limits used where none are given (`FORMAT.md` section 6). */
export const DEFAULT_LIMITS: DecodeLimits = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxItems: 4_000_000,
  maxStringBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  maxPending: 10_000,
  maxPendingBytes: 64 * 1024 * 1024,
});

/**
 * Fills in the defaults for the limits not given.
 * @throws {TypeError} when a limit is not a positive safe integer.
 */
export function resolveLimits(partial: Partial<DecodeLimits> | undefined): DecodeLimits {
  if (partial === undefined) return DEFAULT_LIMITS;
  if (typeof partial !== 'object' || partial === null) {
    throw new TypeError('limits must be an object such as { maxItems: 1000 }');
  }
  const resolved = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(partial)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, key)) {
      throw new TypeError(`unknown decoding limit "${key}"; known: ${Object.keys(DEFAULT_LIMITS).join(', ')}`);
    }
    const value = (partial as Record<string, unknown>)[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`limit ${key} must be a positive safe integer, got ${String(value)}`);
    }
    if (key === 'maxDepth' && value > MAX_DEPTH) {
      throw new TypeError(`limit maxDepth is at most ${MAX_DEPTH}: values are decoded recursively`);
    }
    (resolved as Record<string, number>)[key] = value;
  }
  return Object.freeze(resolved);
}
