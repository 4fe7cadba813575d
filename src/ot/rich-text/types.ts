/**
 * Rich-text operations, in Quill Delta's ops-array form: text with attributes. A
 * document is itself a Delta made only of inserts.
 *
 * ```
 * RichTextOp       := Component*
 * Component        := { retain: n, attributes? } | { insert: 'text', attributes? } | { delete: n }
 * RichTextDocument := { insert: 'text', attributes? }*     normalized, no null attributes
 * ```
 *
 * @example
 * const doc: RichTextDocument = [{ insert: 'Gandalf', attributes: { bold: true } }, { insert: ' the Grey' }];
 * // Unbold "Gandalf", replace "Grey" with a white "White":
 * const op: RichTextOp = [
 *   { retain: 7, attributes: { bold: null } },
 *   { retain: 5 },
 *   { insert: 'White', attributes: { color: '#fff' } },
 *   { delete: 4 },
 * ];
 */
import type { Component, Insert } from '../component.js';

/** A rich-text op: its components in document order. */
export type RichTextOp = readonly Component[];

/** A rich-text document: the inserts that build it from nothing, in normal form. */
export type RichTextDocument = readonly Insert[];
