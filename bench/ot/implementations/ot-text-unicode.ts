import { type as unicode, type TextOp as UnicodeOp } from 'ot-text-unicode';
import { text, type TextOp } from '../../../src/ot/index.js';
import type { TextImplementation } from '../interfaces.js';

/**
 * ot-text-unicode: ops are arrays of numbers (retain), strings (insert) and `{ d: n }`
 * (delete), normalized, positions in code points (the workloads are ASCII, so code points
 * and code units agree). Its `transform(a, b, 'left')` means what Tandem's does.
 */
export const textImplementation: TextImplementation<UnicodeOp, string> = {
  library: 'ot-text-unicode',
  op: (op) => text.normalize(op).map((c) => ('retain' in c ? c.retain : 'insert' in c ? c.insert : { d: c.delete })),
  doc: (t) => t,
  apply: (doc, op) => unicode.apply(doc, op),
  compose: (a, b) => unicode.compose(a, b),
  transform: (a, b) => unicode.transform(a, b, 'left'),
  transformCount: 1,
  text: (doc) => doc as string,
};

/** Converts a Tandem op to text-unicode's form (also used by the trace replay). */
export function toUnicode(op: TextOp): UnicodeOp {
  return textImplementation.op(op, 0);
}
