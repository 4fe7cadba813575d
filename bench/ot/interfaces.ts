/**
 * The contract every library meets in the OT benchmark: convert Tandem's ops and
 * documents to its own form (untimed), then apply, compose and transform them (timed).
 * Plain-text workloads run on every library; rich-text workloads (attributes) on the
 * libraries that have rich text.
 */
import type { RichTextDocument, RichTextOp, TextOp } from '../../src/ot/index.js';

/** Libraries in the OT benchmark. */
export const OT_LIBRARIES = ['tandem', 'ot-text-unicode', 'quill-delta', 'otjs'] as const;
export type OTLibrary = (typeof OT_LIBRARIES)[number];

/** Display names. */
export const OT_LIBRARY_NAMES: Readonly<Record<OTLibrary, string>> = {
  tandem: 'Tandem',
  'ot-text-unicode': 'ot-text-unicode',
  'quill-delta': 'quill-delta',
  otjs: 'ot.js',
};

/** npm package of each library, for the versions line. */
export const OT_LIBRARY_PACKAGES: Readonly<Record<OTLibrary, string>> = {
  tandem: 'tandem',
  'ot-text-unicode': 'ot-text-unicode',
  'quill-delta': 'quill-delta',
  otjs: 'ot',
};

/**
 * One library's plain-text operations. `Op` and `Doc` are its own forms; converting
 * is done before timing. `transform(a, b)` returns `a` rewritten to follow `b` (`a` on
 * the left); `transformCount` is how many one-directional transforms one call does (ot.js
 * computes both directions at once).
 */
export interface TextImplementation<Op = unknown, Doc = unknown> {
  readonly library: OTLibrary;
  /** Converts an op made for a document of `docLength` code units. */
  op(op: TextOp, docLength: number): Op;
  doc(text: string): Doc;
  apply(doc: Doc, op: Op): unknown;
  compose(a: Op, b: Op): unknown;
  transform(a: Op, b: Op): unknown;
  readonly transformCount: number;
  /** The text of a document, to check results before timing. */
  text(doc: unknown): string;
}

/** One library's rich-text operations (documents and ops carry attributes). */
export interface RichImplementation<Op = unknown, Doc = unknown> {
  readonly library: OTLibrary;
  op(op: RichTextOp): Op;
  doc(doc: RichTextDocument): Doc;
  apply(doc: Doc, op: Op): unknown;
  compose(a: Op, b: Op): unknown;
  transform(a: Op, b: Op): unknown;
  /** A result as a plain ops array, to check results before timing. */
  ops(result: unknown): unknown;
}
