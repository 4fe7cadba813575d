/**
 * Undo and redo of one client's own ops, kept valid while other clients edit.
 *
 * Each stack holds inverse ops, newest on top, under one invariant: the top entry applies
 * to the current document, and each entry below applies to the document the entries above
 * it would leave. A local op pushes its inverse (composed into the top entry when it comes
 * within the grouping window) and clears the redo stack; undo pops and applies the top
 * entry and pushes the inverse of that onto the redo stack. Another client's op is
 * transformed down each stack, top first, rewriting every entry to apply
 * after it: this is what keeps an undo from reverting other people's work.
 */
import type { DocumentChange, OTClient } from './client.js';
import { invertAt, isInvertible } from './type.js';

/** How an {@link UndoManager} groups and how much it keeps. */
export interface UndoOptions {
  /**
   * Local ops made within this many milliseconds of the previous one join its undo step;
   * default 500. 0 makes every op its own step.
   */
  readonly window?: number;
  /** The clock for grouping, in milliseconds; defaults to `Date.now`. Inject one in tests. */
  readonly now?: () => number;
  /** The most undo steps kept; the oldest are dropped beyond it. Default 100. */
  readonly capacity?: number;
}

/**
 * Undo and redo for the ops of one {@link OTClient}: only this client's own ops are undone,
 * never another client's, and each step is rewritten through the ops that came after it.
 * Undoing submits an ordinary local op, so it reaches the server like any edit. Rich-text
 * formatting is restored when the type inverts with the document (`invertWithDoc`).
 *
 * The name follows the issue and the common term (Yjs, CodeMirror); STYLE.md's rule
 * against `Manager` targets vague names, and this one is the domain's.
 *
 * A server snapshot (after a long absence) clears both stacks: without the history in
 * between, old steps cannot be rewritten. So does the rollback of a rejected op, which
 * may sit inside any step, and a local op the type fails to invert, since the steps
 * below it would no longer apply in order.
 *
 * @example
 * const undo = new UndoManager(client, { window: 500 });
 * client.submit([{ insert: 'hi' }]);
 * undo.undo(); // removes 'hi'
 * undo.redo(); // puts it back
 */
export class UndoManager<Snapshot, Op> {
  private undos: Op[] = [];
  private redos: Op[] = [];
  private readonly window: number;
  private readonly now: () => number;
  private readonly capacity: number;
  /** When the last local op joined the top undo step; undefined when the next op starts a new step. */
  private lastLocal: number | undefined;
  /** Set while this manager submits an undo or redo, so its own change is not recorded as an edit. */
  private replaying = false;
  private readonly unsubscribe: () => void;

  /**
   * @throws {TypeError} when the client's type can invert neither with nor without the
   *   document; {@link RangeError} when `window` or `capacity` is negative or not finite.
   */
  constructor(
    private readonly client: OTClient<Snapshot, Op>,
    options: UndoOptions = {},
  ) {
    const { type } = client;
    if (!isInvertible(type)) {
      throw new TypeError(`OT type ${type.name} cannot invert ops, so its edits cannot be undone`);
    }
    this.window = nonNegative(options.window ?? 500, 'window');
    this.capacity = nonNegative(options.capacity ?? 100, 'capacity');
    if (!Number.isSafeInteger(this.capacity)) throw new RangeError(`capacity must be an integer, got ${this.capacity}`);
    this.now = options.now ?? Date.now;
    this.unsubscribe = client.on('change', (event) => this.observe(event));
  }

  /** Whether there is a step to undo. */
  get canUndo(): boolean {
    return this.undos.length > 0;
  }

  /** Whether there is an undone step to redo. */
  get canRedo(): boolean {
    return this.redos.length > 0;
  }

  /**
   * Reverts the newest step of this client's own edits that is still on the stack.
   * Returns whether there was one.
   */
  undo(): boolean {
    return this.replay(this.undos, this.redos);
  }

  /** Re-applies the newest undone step. Returns whether there was one. */
  redo(): boolean {
    return this.replay(this.redos, this.undos);
  }

  /** Makes the next local op start a new undo step, whatever the grouping window. */
  stopCapturing(): void {
    this.lastLocal = undefined;
  }

  /** Forgets both stacks. */
  clear(): void {
    this.undos = [];
    this.redos = [];
    this.lastLocal = undefined;
  }

  /** Stops following the client; the manager keeps its stacks but no longer changes them. */
  destroy(): void {
    this.unsubscribe();
  }

  private replay(from: Op[], to: Op[]): boolean {
    const op = from[from.length - 1];
    if (op === undefined) return false;
    const before = this.client.document;
    const inverse = invertAt(this.client.type, op, before);
    this.replaying = true;
    try {
      this.client.submit(op);
    } finally {
      this.replaying = false;
    }
    from.pop();
    to.push(inverse);
    this.lastLocal = undefined;
    return true;
  }

  private observe(event: DocumentChange<Snapshot, Op>): void {
    // A rollback takes back an op that may sit inside any step; rewriting that step
    // through the rollback would leave it undoing text the rollback already restored.
    if (event.kind === 'reset' || event.origin === 'rollback') {
      this.clear();
      return;
    }
    if (event.origin !== 'local') {
      this.undos = this.rewrite(this.undos, event.op);
      this.redos = this.rewrite(this.redos, event.op);
      return;
    }
    if (this.replaying) return;
    let inverse: Op;
    try {
      inverse = invertAt(this.client.type, event.op, event.before);
    } catch {
      // Steps below an op that cannot be undone would no longer apply in order.
      this.clear();
      return;
    }
    const at = this.now();
    const top = this.undos[this.undos.length - 1];
    if (top !== undefined && this.lastLocal !== undefined && at - this.lastLocal < this.window) {
      this.undos[this.undos.length - 1] = this.client.type.compose(inverse, top);
    } else {
      this.undos.push(inverse);
      if (this.undos.length > this.capacity) this.undos.shift();
    }
    this.lastLocal = at;
    this.redos = [];
  }

  /** Rewrites a stack, top first, to follow `op`, an op applied to the current document. */
  private rewrite(stack: readonly Op[], op: Op): Op[] {
    const { type } = this.client;
    const out = stack.slice();
    let other = op;
    for (let i = out.length - 1; i >= 0; i--) {
      const entry = out[i]!;
      out[i] = type.transform(entry, other, 'left');
      other = type.transform(other, entry, 'right');
    }
    return out;
  }
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}
