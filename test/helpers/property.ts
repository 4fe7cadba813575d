/**
 * fast-check settings shared by every property test: a fixed seed by default so CI is
 * deterministic and any failure replays exactly (fast-check prints the seed and path);
 * `FC_SEED` picks another seed, and `TANDEM_LONG=1` (`npm run test:long`) multiplies the
 * number of runs.
 */
import type { Parameters } from 'fast-check';

/** Whether the long, fuzzing-heavy run was asked for. */
export const LONG = process.env.TANDEM_LONG === '1';

const seed = process.env.FC_SEED === undefined ? 0x7a4d3 : Number(process.env.FC_SEED);

/** Parameters for `fc.assert`: `runs` in the normal suite, 20× that in the long one. */
export function runs<T>(runs: number): Parameters<T> {
  return { seed, numRuns: LONG ? runs * 20 : runs, endOnFailure: true };
}
