import { createRequire } from 'node:module';
import type { TextOp } from '../../../src/ot/index.js';
import type { TextImplementation } from '../interfaces.js';

/** The parts of ot.js's untyped TextOperation this benchmark uses. */
interface TextOperation {
  apply(doc: string): string;
  compose(other: TextOperation): TextOperation;
}
interface TextOperationClass {
  fromJSON(ops: (number | string)[]): TextOperation;
  transform(a: TextOperation, b: TextOperation): [TextOperation, TextOperation];
}

const { TextOperation } = createRequire(import.meta.url)('ot') as { TextOperation: TextOperationClass };

/**
 * ot.js (`ot` on npm): an op must span the whole document (retain n, insert 'text',
 * delete as −n), so the conversion adds the trailing retain. `TextOperation.transform`
 * computes both directions in one call, so one call counts as two transforms.
 */
export const textImplementation: TextImplementation<TextOperation, string> = {
  library: 'otjs',
  op(op: TextOp, docLength: number): TextOperation {
    const ops: (number | string)[] = [];
    let base = 0;
    for (const c of op) {
      if ('retain' in c) {
        ops.push(c.retain);
        base += c.retain;
      } else if ('insert' in c) ops.push(c.insert);
      else {
        ops.push(-c.delete);
        base += c.delete;
      }
    }
    if (base < docLength) ops.push(docLength - base);
    return TextOperation.fromJSON(ops);
  },
  doc: (t) => t,
  apply: (doc, op) => op.apply(doc),
  compose: (a, b) => a.compose(b),
  transform: (a, b) => TextOperation.transform(a, b),
  transformCount: 2,
  text: (doc) => doc as string,
};
