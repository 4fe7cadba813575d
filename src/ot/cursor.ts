/**
 * Walking an op component by component, taking pieces of any length: the one iterator
 * every algorithm of this folder uses. It allocates nothing per component; only
 * {@link OpCursor.takeText} slices strings.
 */
import { nonEmpty } from './attributes.js';
import { Kind, type AttributeMap, type Component, type LooseComponent, checkArray } from './component.js';
import { OTError } from './errors.js';

/**
 * A position inside an op. Past the last component the cursor reads as an endless plain
 * retain (`kind` is `Kind.End`, `remaining` is `Infinity`), which is what an op means
 * there. Loading a component checks its kind and length, so a malformed op is refused
 * with an {@link OTError} rather than looping or producing garbage.
 */
export class OpCursor {
  /** Kind of the current component. */
  kind: Kind = Kind.End;
  /** Inserted text of the current component (`''` unless `kind` is `Insert`). */
  text = '';
  /** Attributes of the current component. */
  attributes: AttributeMap | undefined = undefined;
  /** Code units of the current component not taken yet. */
  remaining = Infinity;
  private length = 0;
  private index = -1;
  private readonly components: readonly LooseComponent[];

  constructor(op: readonly Component[]) {
    checkArray(op);
    this.components = op;
    this.load();
  }

  /** Index of the current component (the op's length at the end). */
  get position(): number {
    return this.index;
  }

  /** Code units of the current component already taken. */
  get offset(): number {
    return this.length - this.remaining;
  }

  private load(): void {
    const c = this.components[++this.index];
    if (c === undefined) {
      this.index = this.components.length;
      this.kind = Kind.End;
      this.text = '';
      this.attributes = undefined;
      this.remaining = Infinity;
      return;
    }
    if (typeof c !== 'object' || c === null) throw new OTError('malformed', 'a component must be an object', this.index);
    let n: unknown;
    if (typeof c.insert === 'string') {
      this.kind = Kind.Insert;
      this.text = c.insert;
      n = c.insert.length;
    } else {
      this.text = '';
      if ((n = c.retain) !== undefined) this.kind = Kind.Retain;
      else if ((n = c.delete) !== undefined) this.kind = Kind.Delete;
      else throw new OTError('malformed', 'a component has exactly one of retain, insert, delete', this.index);
      if (!(typeof n === 'number' && n >= 1 && Number.isSafeInteger(n))) {
        throw new OTError(typeof n === 'number' && Number.isSafeInteger(n) ? (n < 0 ? 'negative' : 'zero-length') : 'not-integer', `length ${String(n)} is not a safe integer ≥ 1`, this.index);
      }
    }
    if (n === 0) throw new OTError('zero-length', "insert must not be ''", this.index);
    this.attributes = c.attributes === undefined ? undefined : nonEmpty(c.attributes);
    this.length = n as number;
    this.remaining = n as number;
  }

  /** Moves `n` code units forward; `n` is at most `remaining`. */
  skip(n: number): void {
    if (this.kind === Kind.End) return;
    this.remaining -= n;
    if (this.remaining === 0) this.load();
  }

  /** Moves past the rest of the current component. */
  next(): void {
    if (this.kind !== Kind.End) this.load();
  }

  /** The next `n` inserted code units (`n` at most `remaining`), moving past them. */
  takeText(n: number): string {
    const start = this.length - this.remaining;
    const text = start === 0 && n === this.length ? this.text : this.text.slice(start, start + n);
    this.skip(n);
    return text;
  }

  /** The rest of the current insert, moving past it. */
  takeAllText(): string {
    return this.takeText(this.remaining);
  }
}
