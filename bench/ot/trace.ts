/**
 * The automerge-paper trace replayed as OT ops: every patch becomes one op, applied in
 * order to a document. Tandem keeps the document in a `Rope` (and, for comparison, in a
 * plain string with `text.apply`); the peers apply to their own document form (a string,
 * or a `Delta` for quill-delta). A replay slower than the budget stops there and reports
 * its throughput over the patches it reached; a complete replay is checked against
 * `endContent`.
 */
import Delta from 'quill-delta';
import { type as unicode } from 'ot-text-unicode';
import { createRequire } from 'node:module';
import { Rope, text, type TextOp } from '../../src/ot/index.js';
import { loadSequentialTrace } from '../sequence/traces.js';
import type { OTLibrary } from './interfaces.js';

/** The outcome of one replay. */
export interface ReplayResult {
  readonly library: OTLibrary;
  /** The document form: `Rope`, `string` or `Delta`. */
  readonly document: string;
  readonly patches: number;
  readonly totalPatches: number;
  readonly seconds: number;
  /** Whether the replay finished with `endContent` (undefined when it stopped early). */
  readonly correct: boolean | undefined;
}

interface OtjsOperation {
  apply(doc: string): string;
}
const { TextOperation } = createRequire(import.meta.url)('ot') as {
  TextOperation: { fromJSON(ops: (number | string)[]): OtjsOperation };
};

/** A replayer: a fresh document, then `step(pos, del, ins)` per patch, then its text. */
interface Replayer {
  readonly library: OTLibrary;
  readonly document: string;
  start(): { step(pos: number, del: number, ins: string): void; text(): string };
}

function tandemOp(pos: number, del: number, ins: string): TextOp {
  const op: ({ retain: number } | { insert: string } | { delete: number })[] = [];
  if (pos > 0) op.push({ retain: pos });
  if (ins !== '') op.push({ insert: ins });
  if (del > 0) op.push({ delete: del });
  return op;
}

const REPLAYERS: readonly Replayer[] = [
  {
    library: 'tandem',
    document: 'Rope',
    start() {
      const rope = new Rope();
      return { step: (pos, del, ins) => void rope.apply(tandemOp(pos, del, ins)), text: () => rope.toString() };
    },
  },
  {
    library: 'tandem',
    document: 'string',
    start() {
      let doc = '';
      return { step: (pos, del, ins) => void (doc = text.apply(doc, tandemOp(pos, del, ins))), text: () => doc };
    },
  },
  {
    library: 'ot-text-unicode',
    document: 'string',
    start() {
      let doc = '';
      return {
        step(pos, del, ins) {
          const op: (number | string | { d: number })[] = [];
          if (pos > 0) op.push(pos);
          if (ins !== '') op.push(ins);
          if (del > 0) op.push({ d: del });
          doc = unicode.apply(doc, op);
        },
        text: () => doc,
      };
    },
  },
  {
    library: 'quill-delta',
    document: 'Delta',
    start() {
      let doc = new Delta();
      return {
        step(pos, del, ins) {
          doc = doc.compose(new Delta().retain(pos).insert(ins).delete(del));
        },
        text: () => doc.ops.map((op) => op.insert).join(''),
      };
    },
  },
  {
    library: 'otjs',
    document: 'string',
    start() {
      let doc = '';
      return {
        step(pos, del, ins) {
          const rest = doc.length - pos - del;
          const ops: (number | string)[] = [];
          if (pos > 0) ops.push(pos);
          if (ins !== '') ops.push(ins);
          if (del > 0) ops.push(-del);
          if (rest > 0) ops.push(rest);
          doc = TextOperation.fromJSON(ops).apply(doc);
        },
        text: () => doc,
      };
    },
  },
];

/**
 * Replays automerge-paper with each picked library.
 * @param budget seconds each replay may take before it stops early.
 */
export function replayTrace(libraries: readonly OTLibrary[], budget: number): ReplayResult[] {
  const trace = loadSequentialTrace('automerge-paper');
  const results: ReplayResult[] = [];
  for (const replayer of REPLAYERS.filter((r) => libraries.includes(r.library))) {
    globalThis.gc?.();
    const replay = replayer.start();
    const started = performance.now();
    const deadline = started + budget * 1000;
    let patches = 0;
    let stopped = false;
    outer: for (const txn of trace.txns) {
      for (const [pos, del, ins] of txn) {
        replay.step(pos, del, ins);
        patches++;
        if ((patches & 1023) === 0 && performance.now() > deadline) {
          stopped = true;
          break outer;
        }
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const correct = stopped ? undefined : replay.text() === trace.endContent;
    results.push({ library: replayer.library, document: replayer.document, patches, totalPatches: trace.patches, seconds, correct });
    console.log(
      `  automerge-paper, ${replayer.library} (${replayer.document}): ${patches} patches in ${seconds.toFixed(2)} s` +
        (stopped ? ' (stopped at the time budget)' : correct ? ', final text checked' : ', WRONG FINAL TEXT'),
    );
  }
  return results;
}
