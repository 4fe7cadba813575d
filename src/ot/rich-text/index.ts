/**
 * Rich-text OT: documents and ops are Quill Delta ops arrays with attributes, positions
 * count UTF-16 code units.
 * @packageDocumentation
 */
export { apply } from './apply.js';
export { compose } from './compose.js';
export { validateDocument } from './document.js';
export { invert } from './invert.js';
export { normalize } from './normalize.js';
export { transform } from './transform.js';
export type { RichTextDocument, RichTextOp } from './types.js';
export { validate } from './validate.js';
export { transformPosition } from '../position.js';
