/**
 * Operational transformation over Quill Delta ops: plain text (`text`: documents are
 * strings) and rich text (`richText`: documents are Deltas of inserts with attributes),
 * each a set of pure functions with one contract (`apply`, `compose`, `transform`,
 * `invert`, `transformPosition`, `normalize`, `validate`); their ShareDB types
 * (`textType`, `richTextType`); the binary twin of an op in the one delta format; and
 * `Rope`, a document that takes ops in place.
 *
 * @example
 * import { text } from 'tandem/ot';
 * const a = [{ retain: 5 }, { insert: '!' }];
 * const b = [{ insert: '> ' }];
 * text.apply(text.apply('hello', b), text.transform(a, b, 'left')); // '> hello!'
 * @packageDocumentation
 */
export * as richText from './rich-text/index.js';
export * as text from './text/index.js';
export type { RichTextDocument, RichTextOp } from './rich-text/index.js';
export type { TextComponent, TextOp } from './text/index.js';
export type { AttributeMap, Component, Delete, Insert, Retain } from './component.js';
export { OTError, type OTErrorRule } from './errors.js';
export type { Side } from './side.js';
export { richTextType, textType, type RangePresence, type ShareDBType } from './sharedb.js';
export {
  OT_TAG,
  decodeRichTextOp,
  decodeTextOp,
  encodeRichTextOp,
  encodeTextOp,
  opFromJSON,
  opToJSON,
  otCodecs,
  richTextOpCodec,
  textOpCodec,
} from './codec.js';
export { Rope } from './rope.js';
export * from './control/index.js';
