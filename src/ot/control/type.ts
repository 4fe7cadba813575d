/**
 * The contract an OT type meets to be driven by {@link OTServer} and {@link OTClient}: the
 * ottypes specification (https://github.com/ottypes/docs), narrowed to what the control
 * algorithm calls, plus one optional extension (`diff`).
 *
 * A type is a set of pure functions over two value kinds:
 *
 *   Snapshot  the document, e.g. `'hello'` for plain text or a Delta for rich text
 *   Op        a change from one snapshot to the next, e.g. `[5, ' world']`
 *
 * The control algorithm treats snapshots and ops as immutable values: it keeps the same
 * snapshot object in several places, so `apply` must return a new snapshot and leave its
 * arguments untouched (ot-text-unicode, rich-text and Tandem's types do; json0 mutates and
 * needs a wrapper that clones).
 */
export interface OTType<Snapshot, Op> {
  /** A short name, such as `'text-unicode'`. */
  readonly name: string;
  /** A globally unique identifier, when the type has one. */
  readonly uri?: string;
  /** A new document, empty or built from `initial` (whose meaning the type defines). */
  create(initial?: unknown): Snapshot;
  /**
   * The document after `op`.
   * @throws when `op` is malformed or does not fit `snapshot` (deletes past the end, ...).
   */
  apply(snapshot: Snapshot, op: Op): Snapshot;
  /**
   * `op` rewritten to apply after `otherOp`, both having been made on the same document.
   * `side` breaks ties between inserts at one position: `'left'` puts `op`'s insert first.
   * The control algorithm relies on TP1: apply(apply(d, a), transform(b, a, s)) equals
   * apply(apply(d, b), transform(a, b, opposite of s)).
   * @throws when either op is malformed.
   */
  transform(op: Op, otherOp: Op, side: 'left' | 'right'): Op;
  /**
   * One op with the effect of `a` then `b`.
   * @throws when either op is malformed.
   */
  compose(a: Op, b: Op): Op;
  /**
   * The op undoing `op`, which was applied to `before`. ottypes types take `op` alone
   * (and throw when it lacks what it removed); Tandem's `textType` and `richTextType` use
   * `before` to restore deleted text and replaced attributes. The control algorithm
   * always passes `before`.
   */
  invert?(op: Op, before?: Snapshot): Op;
  /** The op undoing `op`, which was applied to `before`; used in preference to `invert`. */
  invertWithDoc?(op: Op, before: Snapshot): Op;
  /**
   * The canonical form of `op`. The server calls it on every op it receives and rejects
   * the op as `invalid-op` when it throws, so a type that validates here (Tandem's do;
   * ot-text-unicode does not) gets malformed ops named as such rather than as ops that
   * do not fit.
   */
  normalize?(op: Op): Op;
  /** The snapshot as plain data for the wire; the snapshot itself is sent when absent. */
  serialize?(snapshot: Snapshot): unknown;
  /**
   * The snapshot that `serialize` produced, validated. A client checks every snapshot it
   * receives with it; without it, a received snapshot is trusted as it is.
   * @throws when `data` is not a valid snapshot.
   */
  deserialize?(data: unknown): Snapshot;
  /**
   * Tandem extension, not part of ottypes: an op turning `from` into `to`. With it, a
   * client whose server has pruned the history it needs rebases its unsent ops over the
   * difference instead of re-applying them at their old positions.
   */
  diff?(from: Snapshot, to: Snapshot): Op;
}

/** Whether `type` can undo its ops: it has `invertWithDoc` or `invert`. */
export function isInvertible<S, O>(type: OTType<S, O>): boolean {
  return typeof type.invertWithDoc === 'function' || typeof type.invert === 'function';
}

/**
 * The op undoing `op`, which was applied to `before`: `invertWithDoc` when the type has it,
 * else `invert(op, before)` (rich text needs the document to restore attributes).
 * @throws {TypeError} when the type has neither; whatever the type throws for an op it
 *   cannot invert.
 */
export function invertAt<S, O>(type: OTType<S, O>, op: O, before: S): O {
  if (typeof type.invertWithDoc === 'function') return type.invertWithDoc(op, before);
  if (typeof type.invert === 'function') return type.invert(op, before);
  throw new TypeError(`OT type ${type.name} cannot invert ops: it has neither invertWithDoc nor invert`);
}
