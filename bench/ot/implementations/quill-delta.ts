import Delta from 'quill-delta';
import type { RichTextDocument, RichTextOp, TextOp } from '../../../src/ot/index.js';
import type { RichImplementation, TextImplementation } from '../interfaces.js';

const delta = (ops: TextOp | RichTextOp | RichTextDocument): Delta => new Delta(ops as Delta['ops']);

/**
 * quill-delta: ops and documents are `Delta` objects (built before timing); applying is
 * composing the document with the op. `b.transform(a, false)` is `a` rewritten to follow
 * `b` with `a` on the left (Tandem's `transform(a, b, 'left')`).
 */
export const textImplementation: TextImplementation<Delta, Delta> = {
  library: 'quill-delta',
  op: (op) => delta(op),
  doc: (t) => new Delta().insert(t),
  apply: (doc, op) => doc.compose(op),
  compose: (a, b) => a.compose(b),
  transform: (a, b) => b.transform(a, false),
  transformCount: 1,
  text: (doc) => (doc as Delta).ops.map((op) => op.insert).join(''),
};

/** quill-delta on rich text. */
export const richImplementation: RichImplementation<Delta, Delta> = {
  library: 'quill-delta',
  op: (op) => delta(op),
  doc: (doc) => delta(doc),
  apply: (doc, op) => doc.compose(op),
  compose: (a, b) => a.compose(b),
  transform: (a, b) => b.transform(a, false),
  ops: (result) => (result as Delta).ops,
};
