import { composeAttributes } from '../attributes.js';
import { OpBuilder } from '../builder.js';
import { Kind } from '../component.js';
import { OpCursor } from '../cursor.js';
import type { RichTextOp } from './types.js';

/**
 * One op with the effect of `a` followed by `b`: `apply(apply(doc, a), b)` equals
 * `apply(doc, compose(a, b))`. Attributes compose as in Quill Delta: `b`'s values set and
 * override `a`'s, and a `null` of `b` removes the attribute (from text `a` inserted, it
 * simply drops out). The result is normalized.
 *
 * @throws {OTError} when a component of `a` or `b` has no valid kind or length.
 */
export function compose(a: RichTextOp, b: RichTextOp): RichTextOp {
  const first = new OpCursor(a);
  const second = new OpCursor(b);
  const out = new OpBuilder();
  for (;;) {
    if (second.kind === Kind.Insert) {
      const attributes = second.attributes;
      out.insert(second.takeAllText(), attributes);
      continue;
    }
    if (first.kind === Kind.Delete) {
      out.delete(first.remaining);
      first.next();
      continue;
    }
    if (second.kind === Kind.End) break;
    const n = Math.min(first.remaining, second.remaining);
    if (second.kind === Kind.Retain) {
      if (first.kind === Kind.Insert) {
        const attributes = composeAttributes(first.attributes, second.attributes, false);
        out.insert(first.takeText(n), attributes);
      } else {
        out.retain(n, composeAttributes(first.attributes, second.attributes, true));
        first.skip(n);
      }
    } else {
      if (first.kind !== Kind.Insert) out.delete(n);
      first.skip(n);
    }
    second.skip(n);
  }
  // `b` keeps the rest of what `a` produced.
  while (first.kind !== Kind.End) {
    const attributes = first.attributes;
    if (first.kind === Kind.Insert) {
      out.insert(first.takeAllText(), attributes);
      continue;
    }
    if (first.kind === Kind.Retain) out.retain(first.remaining, attributes);
    else out.delete(first.remaining);
    first.next();
  }
  return out.done();
}
