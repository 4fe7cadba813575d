import { richText, text, type RichTextDocument, type RichTextOp, type TextOp } from '../../../src/ot/index.js';
import type { RichImplementation, TextImplementation } from '../interfaces.js';

/** Tandem's plain-text ops: the Quill ops array itself. */
export const textImplementation: TextImplementation<TextOp, string> = {
  library: 'tandem',
  op: (op) => op,
  doc: (t) => t,
  apply: text.apply,
  compose: text.compose,
  transform: (a, b) => text.transform(a, b, 'left'),
  transformCount: 1,
  text: (doc) => doc as string,
};

/** Tandem's rich-text ops. */
export const richImplementation: RichImplementation<RichTextOp, RichTextDocument> = {
  library: 'tandem',
  op: (op) => op,
  doc: (doc) => doc,
  apply: richText.apply,
  compose: richText.compose,
  transform: (a, b) => richText.transform(a, b, 'left'),
  ops: (result) => result,
};
