/**
 * Test doubles: OT types the control algorithm drives in its tests, behind one small
 * adapter so every test runs over plain text and rich text alike.
 *
 * - `plainText`: ot-text-unicode's type; `invertWithDoc` written here (its typings omit it).
 * - `quillText`: quill-delta as an ottypes type (the `rich-text` package is not installed).
 * - `tandemText`, `tandemRichText`: Tandem's own `textType` and `richTextType`.
 */
import Delta from 'quill-delta';
import { type as textUnicode, type TextOp } from 'ot-text-unicode';
import type { OTType } from '../../../src/ot/control/index.js';
import { richTextType, textType, type Component, type RichTextDocument, type RichTextOp, type TextOp as DeltaTextOp } from '../../../src/ot/index.js';

/** What a test needs beyond the type: building ops and reading the text back. */
export interface Adapter<S, O> {
  readonly name: string;
  readonly type: OTType<S, O>;
  insert(position: number, text: string): O;
  remove(position: number, length: number): O;
  /** Formats a range, where the type supports it. */
  format?(position: number, length: number, bold: boolean | null): O;
  text(doc: S): string;
  /** The document as a JSON-comparable value (text plus formatting). */
  value(doc: S): unknown;
  /** Every text inserted by an op (to find markers in a rejected op). */
  inserted(op: O): string[];
}

function skip(n: number): TextOp {
  return n > 0 ? [n] : [];
}

function invertText(op: TextOp, doc: string): TextOp {
  const chars = [...doc];
  const out: TextOp = [];
  let at = 0;
  for (const c of op) {
    if (typeof c === 'number') {
      out.push(c);
      at += c;
    } else if (typeof c === 'string') {
      out.push({ d: c });
    } else {
      const n = typeof c.d === 'number' ? c.d : [...c.d].length;
      out.push(chars.slice(at, at + n).join(''));
      at += n;
    }
  }
  return textUnicode.normalize(out);
}

/**
 * ot-text-unicode, made strict where it is lenient: its `apply` drops a delete that runs
 * past the end, and its `normalize` turns a malformed op into a no-op.
 */
export const plainTextType: OTType<string, TextOp> = {
  name: 'text-unicode',
  uri: textUnicode.uri,
  create: () => textUnicode.create(),
  apply: (doc, op) => {
    textUnicode.checkOp(op);
    let span = 0;
    for (const c of op) span += typeof c === 'number' ? c : typeof c === 'string' ? 0 : typeof c.d === 'number' ? c.d : [...c.d].length;
    if (span > [...doc].length) throw new Error(`text-unicode: op spans ${span}, document has ${[...doc].length}`);
    return textUnicode.apply(doc, op);
  },
  transform: (op, other, side) => textUnicode.transform(op, other, side),
  compose: (a, b) => textUnicode.compose(a, b),
  normalize: (op) => {
    textUnicode.checkOp(op);
    return textUnicode.normalize(op);
  },
  invertWithDoc: invertText,
  deserialize: (data) => {
    if (typeof data !== 'string') throw new Error('text-unicode: a snapshot is a string');
    return data;
  },
};

export const plainText: Adapter<string, TextOp> = {
  name: 'plain text (ot-text-unicode)',
  type: plainTextType,
  insert: (position, text) => [...skip(position), text],
  remove: (position, length) => [...skip(position), { d: length }],
  text: (doc) => doc,
  value: (doc) => doc,
  inserted: (op) => op.filter((c): c is string => typeof c === 'string'),
};

/** Checks a delta only retains, inserts and deletes within `length`; quill-delta itself would extend the document. */
function fits(doc: Delta, op: Delta): void {
  let consumed = 0;
  for (const c of op.ops) {
    if (typeof c.retain === 'number') consumed += c.retain;
    else if (typeof c.delete === 'number') consumed += c.delete;
    else if (c.insert === undefined) throw new Error('rich text: unknown component');
  }
  if (consumed > doc.length()) throw new Error(`rich text: op spans ${consumed}, document has ${doc.length()}`);
}

function delta(value: unknown): Delta {
  if (value instanceof Delta) return value;
  if (Array.isArray(value)) return new Delta(value);
  throw new Error('rich text: an op is a Delta or an array of components');
}

export const quillType: OTType<Delta, Delta> = {
  name: 'rich-text (quill-delta double)',
  create: (initial?: unknown) => (initial === undefined ? new Delta() : delta(initial)),
  apply: (doc, op) => {
    fits(doc, delta(op));
    return doc.compose(delta(op));
  },
  transform: (op, other, side) => delta(other).transform(delta(op), side === 'right'),
  compose: (a, b) => delta(a).compose(delta(b)),
  invertWithDoc: (op, before) => delta(op).invert(before),
  normalize: (op) => delta(op),
  serialize: (doc) => doc.ops,
  deserialize: (data) => {
    const doc = delta(data);
    if (doc.ops.some((c) => c.insert === undefined)) throw new Error('rich text: a document holds only inserts');
    return doc;
  },
};

export const quillText: Adapter<Delta, Delta> = {
  name: 'rich text (quill-delta double)',
  type: quillType,
  insert: (position, text) => new Delta().retain(position).insert(text),
  remove: (position, length) => new Delta().retain(position).delete(length),
  format: (position, length, bold) => new Delta().retain(position).retain(length, { bold }),
  text: (doc) => doc.ops.map((c) => (typeof c.insert === 'string' ? c.insert : '')).join(''),
  value: (doc) => doc.ops,
  inserted: (op) => op.ops.flatMap((c) => (typeof c.insert === 'string' ? [c.insert] : [])),
};

/** Adds the Tandem `diff` extension to a type, for the snapshot-rebase path. */
export function withDiff<S, O>(type: OTType<S, O>, diff: (from: S, to: S) => O): OTType<S, O> {
  return { ...type, name: `${type.name} + diff`, diff };
}

/** A plain-text diff by common prefix and suffix: enough to rebase over. */
export function textDiff(from: string, to: string): TextOp {
  const a = [...from];
  const b = [...to];
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const removed = a.length - prefix - suffix;
  const added = b.slice(prefix, b.length - suffix).join('');
  const op: TextOp = [...skip(prefix)];
  if (removed > 0) op.push({ d: removed });
  if (added.length > 0) op.push(added);
  return textUnicode.normalize(op);
}

function retain(n: number): { retain: number }[] {
  return n > 0 ? [{ retain: n }] : [];
}

function insertsOf(op: readonly Component[]): string[] {
  return op.flatMap((c) => ('insert' in c ? [c.insert] : []));
}

export const tandemText: Adapter<string, DeltaTextOp> = {
  name: 'plain text (Tandem textType)',
  type: textType,
  insert: (position, text) => [...retain(position), { insert: text }],
  remove: (position, length) => [...retain(position), { delete: length }],
  text: (doc) => doc,
  value: (doc) => doc,
  inserted: insertsOf,
};

export const tandemRichText: Adapter<RichTextDocument, RichTextOp> = {
  name: 'rich text (Tandem richTextType)',
  type: richTextType,
  insert: (position, text) => [...retain(position), { insert: text }],
  remove: (position, length) => [...retain(position), { delete: length }],
  format: (position, length, bold) => [...retain(position), { retain: length, attributes: { bold } }],
  text: (doc) => doc.map((c) => c.insert).join(''),
  value: (doc) => doc,
  inserted: insertsOf,
};

/** Every adapter, for tests that run over all of them. */
export const adapters = [plainText, quillText, tandemText, tandemRichText] as readonly Adapter<unknown, unknown>[];
