/**
 * Random documents and ops for the OT property tests: ops are shaped onto the document
 * they are meant for, so every generated op fits it (retains and deletes stay inside,
 * never between the halves of a surrogate pair), and they cover every component kind,
 * attributes with `null`, empty attribute maps and ops that are not normalized.
 */
import fc from 'fast-check';
import Delta from 'quill-delta';
import type { AttributeMap, Component, RichTextDocument, RichTextOp, TextOp } from '../../src/ot/index.js';

/** Characters of generated text: ASCII, a two-unit emoji, and BMP letters. */
const UNITS = ['a', 'b', 'c', ' ', 'é', '中', '😀'] as const;
/** The same without characters outside the BMP, where code units and code points agree. */
const BMP_UNITS = ['a', 'b', 'c', ' ', 'é', '中'] as const;

/** Text of `min` to `max` characters. */
export function textOf(min: number, max: number, bmp = false): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...(bmp ? BMP_UNITS : UNITS)), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
}

/** One intended step of an op; its length is fitted to the document by {@link shape}. */
export interface Step {
  readonly kind: 'retain' | 'insert' | 'delete';
  readonly n: number;
  readonly text: string;
  readonly attributes: Record<string, unknown> | undefined;
}

/** Attribute maps: possibly empty, values of several JSON types, `null` to remove. */
const attributesArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    bold: fc.constantFrom(true, null),
    color: fc.constantFrom('red', 'blue', null),
    link: fc.constantFrom({ href: 'a', rel: ['x'] }, { href: 'b' }, null),
    size: fc.constantFrom(1, 2.5, null),
  },
  { requiredKeys: [] },
);

function stepArb(rich: boolean, bmp: boolean): fc.Arbitrary<Step> {
  return fc.record({
    kind: fc.constantFrom('retain', 'retain', 'insert', 'delete'),
    n: fc.integer({ min: 1, max: 12 }),
    text: textOf(1, 5, bmp),
    attributes: rich ? fc.option(attributesArb, { nil: undefined, freq: 2 }) : fc.constant(undefined),
  });
}

/** Steps for an op, shaped later onto a document. */
export function stepsArb(rich: boolean, bmp = false, maxLength = 8): fc.Arbitrary<Step[]> {
  return fc.array(stepArb(rich, bmp), { maxLength });
}

function withoutNulls(attributes: Record<string, unknown>): AttributeMap {
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null)) as AttributeMap;
}

/**
 * An op from `steps` that fits a document of `text`: lengths are cut to what remains and
 * moved off the middle of surrogate pairs. The op need not be normalized.
 */
export function shape(steps: readonly Step[], text: string, rich: boolean): Component[] {
  const op: Component[] = [];
  let pos = 0;
  for (const step of steps) {
    if (step.kind === 'insert') {
      const attributes = rich && step.attributes !== undefined ? withoutNulls(step.attributes) : undefined;
      op.push(attributes === undefined ? { insert: step.text } : { insert: step.text, attributes });
      continue;
    }
    let n = Math.min(step.n, text.length - pos);
    const end = pos + n;
    if (end > 0 && end < text.length && /[\udc00-\udfff]/.test(text[end]!)) n++;
    if (n === 0) continue;
    pos += n;
    if (step.kind === 'delete') op.push({ delete: n });
    else if (rich && step.attributes !== undefined) op.push({ retain: n, attributes: step.attributes as AttributeMap });
    else op.push({ retain: n });
  }
  return op;
}

/** Reference apply for plain text, written independently of `src/ot`. */
export function modelApplyText(doc: string, op: TextOp): string {
  const parts: string[] = [];
  let pos = 0;
  for (const c of op) {
    if ('insert' in c) parts.push(c.insert);
    else if ('retain' in c) {
      parts.push(doc.slice(pos, pos + c.retain));
      pos += c.retain;
    } else pos += c.delete;
  }
  parts.push(doc.slice(pos));
  return parts.join('');
}

/**
 * Quill's result in Quill's canonical form: rebuilt through `Delta`'s own builders, which
 * drop empty attribute maps (a raw ops array keeps them) and chop a trailing retain.
 */
export function quillCanonical(ops: readonly Component[]): Component[] {
  let d = new Delta();
  for (const c of ops) {
    if ('insert' in c) d = d.insert(c.insert, c.attributes as Record<string, unknown> | undefined);
    else if ('retain' in c) d = d.retain(c.retain, c.attributes as Record<string, unknown> | undefined);
    else d = d.delete(c.delete);
  }
  return d.chop().ops as Component[];
}

/** Reference apply for rich text: Quill's own compose. */
export function modelApplyRich(doc: RichTextDocument, op: RichTextOp): RichTextDocument {
  return quillCanonical(new Delta(doc as Delta['ops']).compose(new Delta(op as Delta['ops'])).ops as Component[]) as RichTextDocument;
}

/** The plain text of a rich document. */
export function plain(doc: RichTextDocument): string {
  return doc.map((run) => run.insert).join('');
}

/** A plain-text document with three ops: a, b concurrent on it, and c after a then b. */
export interface TextCase {
  readonly doc: string;
  readonly a: TextOp;
  readonly b: TextOp;
  readonly bAfterA: TextOp;
  readonly cAfterAB: TextOp;
}

/** Plain-text documents with ops fitted to them. */
export function textCase(bmp = false): fc.Arbitrary<TextCase> {
  return fc
    .tuple(textOf(0, 30, bmp), stepsArb(false, bmp), stepsArb(false, bmp), stepsArb(false, bmp), stepsArb(false, bmp))
    .map(([doc, sa, sb, sab, sc]) => {
      const a = shape(sa, doc, false) as TextOp;
      const b = shape(sb, doc, false) as TextOp;
      const afterA = modelApplyText(doc, a);
      const bAfterA = shape(sab, afterA, false) as TextOp;
      const cAfterAB = shape(sc, modelApplyText(afterA, bAfterA), false) as TextOp;
      return { doc, a, b, bAfterA, cAfterAB };
    });
}

/** A rich document with three ops, as {@link TextCase}. */
export interface RichCase {
  readonly doc: RichTextDocument;
  readonly a: RichTextOp;
  readonly b: RichTextOp;
  readonly bAfterA: RichTextOp;
  readonly cAfterAB: RichTextOp;
}

/** Rich-text documents (built by Quill from random formatted inserts) with ops fitted to them. */
export function richCase(): fc.Arbitrary<RichCase> {
  return fc
    .tuple(fc.array(stepArb(true, false), { maxLength: 6 }), stepsArb(true), stepsArb(true), stepsArb(true), stepsArb(true))
    .map(([sd, sa, sb, sab, sc]) => {
      const doc = quillCanonical(shape(sd.map((s) => ({ ...s, kind: 'insert' as const })), '', true)) as RichTextDocument;
      const a = shape(sa, plain(doc), true);
      const b = shape(sb, plain(doc), true);
      const afterA = modelApplyRich(doc, a);
      const bAfterA = shape(sab, plain(afterA), true);
      const cAfterAB = shape(sc, plain(modelApplyRich(afterA, bAfterA)), true);
      return { doc, a, b, bAfterA, cAfterAB };
    });
}
