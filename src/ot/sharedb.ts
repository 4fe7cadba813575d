/**
 * `textType` and `richTextType`: the two operation types as ottypes-spec objects, ready
 * for `ShareDB.types.register` and for `OTServer` and `OTClient` ({@link ShareDBType}
 * extends the control algorithm's {@link OTType}). They wrap the functions of `./text`
 * and `./rich-text` unchanged, so a ShareDB server and a Tandem client agree op for op.
 */
import { OpBuilder } from './builder.js';
import type { Component } from './component.js';
import type { OTType } from './control/type.js';
import { OTError } from './errors.js';
import { transformPosition } from './position.js';
import * as richText from './rich-text/index.js';
import type { RichTextDocument, RichTextOp } from './rich-text/index.js';
import type { Side } from './side.js';
import * as text from './text/index.js';
import type { TextOp } from './text/index.js';

/**
 * A selection or caret as ShareDB presence carries it: `index` and `length` in UTF-16
 * code units. Other fields are kept as they are.
 */
export interface RangePresence {
  readonly index: number;
  readonly length: number;
}

/**
 * An OT type as ShareDB calls it (the ottypes contract, github.com/ottypes/docs): the
 * {@link OTType} the control algorithm drives, with the members ShareDB needs made
 * required, plus `transformCursor` and `transformPresence`. Anything typed
 * `ShareDBType` also runs under `OTServer` and `OTClient` as it is.
 */
export interface ShareDBType<Snapshot, Op> extends OTType<Snapshot, Op> {
  /** Canonical identifier of the type. */
  readonly uri: string;
  /** The op undoing `op`; see the type's own documentation for when `before` is needed. */
  invert(op: Op, before?: Snapshot): Op;
  /** The normal form of `op`; throws for a malformed op, which ShareDB reports as badly formed. */
  normalize(op: Op): Op;
  /** A caret moved by `op`: past text the user inserted at it themselves, before others'. */
  transformCursor(cursor: number, op: Op, isOwnOp: boolean): number;
  /** A `{ index, length }` presence moved by `op` like a cursor; `null` stays `null`. */
  transformPresence<P extends RangePresence | null | undefined>(presence: P, op: Op, isOwnOp: boolean): P;
  /** The JSON ShareDB stores for a snapshot. */
  serialize(snapshot: Snapshot): unknown;
  /** The snapshot stored JSON describes, validated. */
  deserialize(data: unknown): Snapshot;
}

function cursorSide(isOwnOp: boolean): Side {
  return isOwnOp ? 'right' : 'left';
}

function transformRange<P extends RangePresence | null | undefined>(
  presence: P,
  op: readonly Component[],
  isOwnOp: boolean,
): P {
  if (presence === null || presence === undefined) return presence;
  const side = cursorSide(isOwnOp);
  const start = transformPosition(presence.index, op, side);
  const end = transformPosition(presence.index + presence.length, op, side);
  return { ...presence, index: start, length: end - start };
}

/**
 * The inverse of an op that only retains without formatting and inserts, which needs no
 * document: inserts become deletes.
 * @throws {OTError} `bad-argument` when the op deletes or formats text: a Quill op does
 *   not carry what it deletes or the attributes it replaces, so only the document can say
 *   what to restore.
 */
function invertInserts(op: readonly Component[]): Component[] {
  const out = new OpBuilder();
  for (const c of op) {
    if ('insert' in c) out.delete(c.insert.length);
    else if ('retain' in c && c.attributes === undefined) out.retain(c.retain, undefined);
    else throw new OTError('bad-argument', 'inverting an op that deletes or formats text needs the document before it: invert(op, before)');
  }
  return out.done();
}

/**
 * Plain text for ShareDB: snapshots are strings, ops are Quill Delta ops arrays without
 * attributes. `invert(op)` alone works for ops that only insert; with the snapshot before
 * the op, `invert(op, before)` works for every op.
 */
export const textType: ShareDBType<string, TextOp> = Object.freeze({
  name: 'tandem-text',
  uri: 'https://github.com/tandem/types/text/v1',
  create(initial?: unknown): string {
    if (initial === undefined) return '';
    if (typeof initial !== 'string') throw new OTError('bad-argument', 'a plain-text snapshot is a string');
    return initial === '' ? '' : text.apply('', [{ insert: initial }]);
  },
  apply: text.apply,
  transform: text.transform,
  compose: text.compose,
  invert(op: TextOp, before?: string): TextOp {
    if (before !== undefined) return text.invert(op, before);
    text.validate(op);
    return invertInserts(op) as TextOp;
  },
  normalize: text.normalize,
  transformCursor(cursor: number, op: TextOp, isOwnOp: boolean): number {
    return transformPosition(cursor, op, cursorSide(isOwnOp));
  },
  transformPresence: transformRange,
  serialize(snapshot: string): unknown {
    return snapshot;
  },
  deserialize(data: unknown): string {
    if (typeof data !== 'string') throw new OTError('bad-argument', 'a plain-text snapshot is a string');
    return data;
  },
});

/**
 * Rich text for ShareDB: snapshots are documents (Quill Delta ops arrays of inserts),
 * ops are Quill Delta ops arrays. `create` also takes a Quill `Delta` (`{ ops }`).
 * `invert(op)` alone works for ops that only insert; with the snapshot before the op,
 * `invert(op, before)` works for every op.
 */
export const richTextType: ShareDBType<RichTextDocument, RichTextOp> = Object.freeze({
  name: 'tandem-rich-text',
  uri: 'https://github.com/tandem/types/rich-text/v1',
  create(initial?: unknown): RichTextDocument {
    if (initial === undefined) return [];
    const ops =
      typeof initial === 'object' && initial !== null && !Array.isArray(initial) && 'ops' in initial
        ? (initial as { ops: unknown }).ops
        : initial;
    richText.validate(ops);
    return richText.apply([], ops);
  },
  apply: richText.apply,
  transform: richText.transform,
  compose: richText.compose,
  invert(op: RichTextOp, before?: RichTextDocument): RichTextOp {
    if (before !== undefined) return richText.invert(op, before);
    richText.validate(op);
    return invertInserts(op);
  },
  normalize: richText.normalize,
  transformCursor(cursor: number, op: RichTextOp, isOwnOp: boolean): number {
    return transformPosition(cursor, op, cursorSide(isOwnOp));
  },
  transformPresence: transformRange,
  serialize(snapshot: RichTextDocument): unknown {
    return snapshot;
  },
  deserialize(data: unknown): RichTextDocument {
    richText.validateDocument(data);
    return data;
  },
});
