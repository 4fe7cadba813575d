/**
 * The base class of the causal types: merge through a {@link DotStore}, and an index of
 * alive entries by element or key whose slots remember what they showed when a change
 * began, so change events cost no extra lookups.
 */
import type { PayloadCodec } from '../../codec/index.js';
import type { Dot, VersionVector } from '../clock/index.js';
import { ReplicatedBase, type ChangeEvent, type ReplicatedOptions } from '../replicated.js';
import type { CausalModel } from './codec.js';
import { DotStore } from './dot-store.js';

/** What a type reads of an element's entries to decide what the element shows. */
export interface SlotView<E> {
  /** Number of alive entries. */
  readonly size: number;
  /** The first entry in the type's order (see `CausalBase.order`). */
  readonly first: E | undefined;
  /** The last entry in the type's order. */
  readonly last: E | undefined;
}

/** The view of an element with no entries. */
const NO_ENTRIES: SlotView<never> = Object.freeze({ size: 0, first: undefined, last: undefined });

/**
 * The alive entries of one element (or map key), and what the element showed before the
 * change in progress. Almost every element has a single entry, held as is; an array is
 * made only when concurrent entries meet. Within a change, additions append and removals
 * are only noted; {@link Slot.settle} applies them once at the end, so a change costs
 * time in proportion to the entries it touches, however many an element has.
 */
export class Slot<E, K, Shown> implements SlotView<E> {
  private one: E | undefined;
  private many: E[] | undefined;
  private doomed: Set<E> | undefined;
  /** Where the entries appended in the change in progress begin, if any were. */
  private appendedFrom: number | undefined;

  constructor(
    readonly key: K,
    entry: E,
    /** The change that last touched this slot. */
    public epoch: number,
    /** What the element showed before that change. */
    public before: Shown,
  ) {
    this.one = entry;
  }

  get size(): number {
    if (this.many !== undefined) return this.many.length - (this.doomed?.size ?? 0);
    return this.one === undefined ? 0 : 1;
  }

  get first(): E | undefined {
    return this.many !== undefined ? this.many[0] : this.one;
  }

  get last(): E | undefined {
    return this.many !== undefined ? this.many[this.many.length - 1] : this.one;
  }

  /** The entries, in the type's order (a copy when there is one entry). */
  entries(): readonly E[] {
    return this.many ?? (this.one === undefined ? [] : [this.one]);
  }

  /** Adds an entry; the order is restored by {@link settle}. */
  add(entry: E): void {
    if (this.many !== undefined) {
      this.appendedFrom ??= this.many.length;
      this.many.push(entry);
    } else if (this.one === undefined) {
      this.one = entry;
    } else {
      this.many = [this.one, entry];
      this.one = undefined;
      this.appendedFrom = 1;
    }
  }

  /** Removes an entry (at once when it is alone, else when the change settles). */
  remove(entry: E): void {
    if (this.many === undefined) {
      if (this.one === entry) this.one = undefined;
    } else {
      (this.doomed ??= new Set()).add(entry);
    }
  }

  /**
   * Ends a change: drops removed entries, then lets `order` arrange several, telling it
   * where the entries it has not seen begin (0 after a removal: it must look at all).
   */
  settle(order: (entries: E[], from: number) => void): void {
    const appendedFrom = this.appendedFrom;
    this.appendedFrom = undefined;
    if (this.many === undefined) return;
    let from = appendedFrom;
    if (this.doomed !== undefined) {
      const doomed = this.doomed;
      this.many = this.many.filter((e) => !doomed.has(e));
      this.doomed = undefined;
      from = 0;
    }
    if (this.many.length <= 1) {
      this.one = this.many[0];
      this.many = undefined;
    } else if (from !== undefined) {
      order(this.many, from);
    }
  }
}

/** The index operations a causal type needs: a `Map`, or a `ValueMap` for JSON keys. */
export interface SlotIndex<K, S> {
  get(key: K): S | undefined;
  set(key: K, slot: S): void;
  delete(key: K): boolean;
  readonly size: number;
}

/**
 * Shared machinery of the causal types: snapshot and merge through a {@link DotStore},
 * and an index of entries by element or key whose slots remember what they showed at
 * the start of a change; the change event is built from the slots it touched.
 */
export abstract class CausalBase<E extends Dot, Ev extends ChangeEvent, K, Shown> extends ReplicatedBase<
  CausalModel<E>,
  Ev
> {
  protected readonly store = new DotStore<E>();
  /** Alive entries by element or key; a slot with no entries exists only during a change. */
  protected abstract readonly index: SlotIndex<K, Slot<E, K, Shown>>;
  private epoch = 0;
  private touched: Slot<E, K, Shown>[] = [];

  protected constructor(options: ReplicatedOptions, codec: PayloadCodec<CausalModel<E>>) {
    super(options, codec);
  }

  protected get clock(): VersionVector {
    return this.store.context;
  }

  /** The index key of an entry: its element, or its map key. */
  protected abstract keyOf(entry: E): K;
  /**
   * What an element shows (its membership, or its value) given its entries. Called on
   * every change that touches the element, so it should not scan: {@link order} can put
   * the entry that decides first or last.
   */
  protected abstract show(slot: SlotView<E>): Shown;

  /**
   * Arranges an element's several entries after a change so that {@link show} can read
   * the first or last one. Entries before `from` were arranged by the previous call and
   * are unchanged; those from `from` on are new. By default the order is left as it is.
   */
  protected order(_entries: E[], _from: number): void {}

  /** What a key shows now. */
  protected showKey(key: K): Shown {
    return this.show(this.index.get(key) ?? NO_ENTRIES);
  }

  /** The alive entries of a key (empty when it has none). */
  protected entriesOf(key: K): readonly E[] {
    return this.index.get(key)?.entries() ?? [];
  }

  /** The change event, from the slots a change touched (each once). */
  protected abstract event(touched: readonly Slot<E, K, Shown>[]): Ev;

  private touch(slot: Slot<E, K, Shown>): void {
    if (slot.epoch === this.epoch) return;
    slot.epoch = this.epoch;
    slot.before = this.show(slot);
    this.touched.push(slot);
  }

  private readonly orderEntries = (entries: E[], from: number): void => this.order(entries, from);

  private addEntry(entry: E): void {
    const key = this.keyOf(entry);
    const slot = this.index.get(key);
    if (slot === undefined) {
      const created = new Slot(key, entry, this.epoch, this.show(NO_ENTRIES));
      this.index.set(key, created);
      this.touched.push(created);
    } else {
      this.touch(slot);
      slot.add(entry);
    }
    this.store.add(entry);
  }

  private removeEntry(entry: E): void {
    const slot = this.index.get(this.keyOf(entry))!;
    this.touch(slot);
    slot.remove(entry);
    this.store.remove(entry);
  }

  /** Applies removals, then additions, as one change, and returns its event. */
  private change(remove: readonly E[], add: readonly E[]): Ev {
    this.epoch++;
    for (const e of remove) this.removeEntry(e);
    for (const e of add) this.addEntry(e);
    const touched = this.touched;
    this.touched = [];
    // Empty slots stay until the change ends, so that a removal and a re-add net out.
    for (const slot of touched) {
      slot.settle(this.orderEntries);
      if (slot.size === 0) this.index.delete(slot.key);
    }
    return this.event(touched);
  }

  protected claims(model: CausalModel<E>): number {
    return model.context.get(this.replica);
  }

  protected snapshot(since: VersionVector | undefined): CausalModel<E> {
    return this.store.snapshot(since);
  }

  protected merge(model: CausalModel<E>): Ev | undefined {
    const plan = this.store.plan(model);
    const event = this.change(plan.remove, plan.add);
    const advanced = this.store.context.merge(model.context);
    return plan.remove.length > 0 || plan.add.length > 0 || advanced ? event : undefined;
  }

  /**
   * A local change: removes `old` entries and adds the entry `make` builds from a fresh
   * dot (or spends a dot and adds nothing when `make` is undefined).
   */
  protected replaceLocal(old: readonly E[], make: ((counter: number) => E) | undefined): void {
    const counter = this.store.context.next(this.replica);
    const added = make?.(counter);
    const event = this.change([...old], added ? [added] : []);
    this.emit({ ...event, origin: 'local' });
  }
}
