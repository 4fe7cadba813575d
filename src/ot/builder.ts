/**
 * Building an op in normal form while appending pieces, so that every algorithm returns
 * normalized ops without a second pass.
 *
 * Normal form (Quill Delta's): no zero-length component; adjacent components of the same
 * kind and equal attributes are merged; between two retains, inserts come before the
 * delete; no empty attribute map; no plain retain at the end.
 */
import { attributesEqual, nonEmpty } from './attributes.js';
import type { AttributeMap, Component, Insert } from './component.js';

/**
 * Accumulates one op. Pieces are held back until a piece of another kind arrives, so a
 * run of pieces becomes one component object: a component is allocated once, not per
 * piece. Attributes passed in must already be `undefined` when empty.
 */
export class OpBuilder {
  private readonly ops: Component[] = [];
  private retained = 0;
  private retainAttributes: AttributeMap | undefined = undefined;
  private inserted = '';
  private insertAttributes: AttributeMap | undefined = undefined;
  /** The run held back, when it is one whole normalized insert taken as it is. */
  private insertRun: Insert | undefined = undefined;
  private deleted = 0;

  /** Appends a retain of `n ≥ 1` code units. */
  retain(n: number, attributes: AttributeMap | undefined): void {
    if (this.inserted !== '' || this.deleted !== 0) this.flushChange();
    if (this.retained !== 0) {
      if (attributes === this.retainAttributes || attributesEqual(attributes, this.retainAttributes)) {
        this.retained += n;
        return;
      }
      this.flushRetain();
    }
    this.retained = n;
    this.retainAttributes = attributes;
  }

  /** Appends an insert of non-empty `text`. */
  insert(text: string, attributes: AttributeMap | undefined): void {
    if (this.retained !== 0) this.flushRetain();
    if (this.inserted !== '') {
      if (attributes === this.insertAttributes || attributesEqual(attributes, this.insertAttributes)) {
        this.inserted += text;
        this.insertRun = undefined;
        return;
      }
      this.flushInsert();
    }
    this.inserted = text;
    this.insertAttributes = attributes;
  }

  /**
   * Appends the whole of insert `run` (its text non-empty). Unless a neighbour merges into
   * it, or its attribute map is empty, the op holds this very object: runs of a document
   * that an op leaves alone, and inserts that pass through compose and transform, are not
   * copied. Ops are immutable values, so sharing their components is safe.
   */
  whole(run: Insert): void {
    const attributes = nonEmpty(run.attributes);
    this.insert(run.insert, attributes);
    if (this.inserted === run.insert && attributes === run.attributes) this.insertRun = run;
  }

  /** Appends a delete of `n ≥ 1` code units. */
  delete(n: number): void {
    if (this.retained !== 0) this.flushRetain();
    this.deleted += n;
  }

  /** The op built; the builder must not be used afterwards. */
  done(): Component[] {
    if (this.inserted !== '' || this.deleted !== 0) this.flushChange();
    if (this.retained !== 0 && this.retainAttributes !== undefined) this.flushRetain();
    return this.ops;
  }

  private flushRetain(): void {
    const attributes = this.retainAttributes;
    this.ops.push(attributes === undefined ? { retain: this.retained } : { retain: this.retained, attributes });
    this.retained = 0;
    this.retainAttributes = undefined;
  }

  private flushInsert(): void {
    const attributes = this.insertAttributes;
    this.ops.push(
      this.insertRun ?? (attributes === undefined ? { insert: this.inserted } : { insert: this.inserted, attributes }),
    );
    this.inserted = '';
    this.insertAttributes = undefined;
    this.insertRun = undefined;
  }

  private flushChange(): void {
    if (this.inserted !== '') this.flushInsert();
    if (this.deleted !== 0) {
      this.ops.push({ delete: this.deleted });
      this.deleted = 0;
    }
  }
}
