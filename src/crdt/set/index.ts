/** Sets of JSON values: grow-only, two-phase, add-wins and remove-wins. */
export { AWSet, awSetCodec } from './aw-set.js';
export { GSet, TwoPhaseSet, gsetCodec, twoPhaseSetCodec } from './grow-set.js';
export { RWSet, rwSetCodec } from './rw-set.js';
export type { SetChange } from './shared.js';
