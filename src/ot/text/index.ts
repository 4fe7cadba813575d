/**
 * Plain-text OT: the document is a string, ops are Quill Delta ops arrays without
 * attributes, positions count UTF-16 code units.
 * @packageDocumentation
 */
export { apply } from './apply.js';
export { compose } from './compose.js';
export { invert } from './invert.js';
export { normalize } from './normalize.js';
export { transform } from './transform.js';
export type { TextComponent, TextOp } from './types.js';
export { validate } from './validate.js';
export { transformPosition } from '../position.js';
