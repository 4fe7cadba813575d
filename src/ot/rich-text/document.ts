/**
 * Reading a rich-text document while an op walks over it: the pieces of its runs that a
 * retain or delete covers, checked to lie within the document and between whole
 * characters.
 */
import { attributesEqual, nonEmpty } from '../attributes.js';
import { Kind, checkArray, checkComponent, splitsPair, type AttributeMap, type Insert } from '../component.js';
import type { OpCursor } from '../cursor.js';
import { OTError } from '../errors.js';
import type { RichTextDocument } from './types.js';

/**
 * How much of the next `n` code units the current run of `doc` holds, after checking
 * that the document goes on that far and that the piece ends between whole characters.
 * @param component index of the op component being applied, for error messages.
 * @throws {OTError} `length-mismatch`, `splits-surrogate`, or `bad-argument` when the
 *   document holds something other than inserts.
 */
export function nextPiece(doc: OpCursor, n: number, component: number): number {
  if (doc.kind !== Kind.Insert) {
    if (doc.kind === Kind.End) throw new OTError('length-mismatch', 'the op reaches past the end of the document', component);
    throw new OTError('bad-argument', 'a rich-text document holds only inserts');
  }
  if (n >= doc.remaining) return doc.remaining;
  if (splitsPair(doc.text, doc.offset + n)) {
    throw new OTError('splits-surrogate', 'the op ends between the two halves of a surrogate pair', component);
  }
  return n;
}

/**
 * Checks that `doc` is a rich-text document: well-formed inserts only, in normal form
 * (adjacent runs differ in attributes, no empty or `null` attributes).
 * @throws {OTError} `bad-argument` for anything else, or the grammar rule a run breaks.
 */
export function validateDocument(doc: unknown): asserts doc is RichTextDocument {
  checkArray(doc);
  let previous: AttributeMap | undefined;
  for (let i = 0; i < doc.length; i++) {
    const run = doc[i];
    if (checkComponent(run, i, true) !== Kind.Insert) {
      throw new OTError('bad-argument', 'a rich-text document holds only inserts', i);
    }
    const attributes = (run as Insert).attributes;
    if (attributes !== undefined && nonEmpty(attributes) === undefined) {
      throw new OTError('bad-argument', 'a document run has no empty attributes', i);
    }
    if (i > 0 && attributesEqual(previous, attributes)) {
      throw new OTError('bad-argument', 'adjacent document runs with equal attributes are one run', i);
    }
    previous = attributes;
  }
}
