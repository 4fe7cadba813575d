export { List, listCodec } from './list.js';
export type { Anchor, DeltaOp, SequenceChange } from './sequence.js';
export { Text, textCodec } from './text.js';
