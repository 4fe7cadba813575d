/**
 * The causal dot store behind `AWSet`, `RWSet`, `MVRegister` and `AWMap`: only alive
 * entries are kept, each named by a dot, together with the causal context (the version
 * vector of every event seen). Removing or overwriting an entry deletes it and spends a
 * new dot, so nothing is left behind for it: the context alone records that it existed.
 *
 * A delta cut from `base` carries the alive entries outside `base`, the sender's whole
 * context, and, as ranges, the dots within `base` the sender no longer holds. Merging it
 * into a replica that covers `base` gives the same state as merging the sender's whole
 * state. `FORMAT.md` section 4.6 gives the layout and the merge rule; `README.md` in this
 * folder explains why it is correct.
 */
import { VersionVector, type Dot } from '../clock/index.js';
import { deltaBase } from '../wire.js';
import type { CausalModel, Ranges } from './codec.js';

/**
 * One replica's alive entries, sorted by counter. Entries usually arrive in counter
 * order, so adding is an append; a removal leaves a hole that compaction clears once
 * holes outnumber entries.
 */
class Column<E extends Dot> {
  private counters: number[] = [];
  private slots: (E | undefined)[] = [];
  /** Number of alive entries. */
  live = 0;

  /** Position of the first slot whose counter is ≥ `counter`. */
  private lowerBound(counter: number): number {
    const counters = this.counters;
    let lo = 0;
    let hi = counters.length;
    if (hi > 0 && counters[hi - 1]! < counter) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (counters[mid]! < counter) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds an entry whose dot is not alive here. */
  add(entry: E): void {
    const n = this.counters.length;
    if (n === 0 || this.counters[n - 1]! < entry.counter) {
      this.counters.push(entry.counter);
      this.slots.push(entry);
    } else {
      const at = this.lowerBound(entry.counter);
      if (this.counters[at] === entry.counter) {
        this.slots[at] = entry;
      } else {
        this.counters.splice(at, 0, entry.counter);
        this.slots.splice(at, 0, entry);
      }
    }
    this.live++;
  }

  /** Removes the entry with this counter; returns whether it was alive. */
  remove(counter: number): boolean {
    const at = this.lowerBound(counter);
    if (this.counters[at] !== counter || this.slots[at] === undefined) return false;
    this.slots[at] = undefined;
    this.live--;
    if (this.counters.length > 32 && this.live * 2 < this.counters.length) this.compact();
    return true;
  }

  private compact(): void {
    const counters: number[] = [];
    const slots: E[] = [];
    for (let i = 0; i < this.slots.length; i++) {
      const e = this.slots[i];
      if (e !== undefined) {
        counters.push(this.counters[i]!);
        slots.push(e);
      }
    }
    this.counters = counters;
    this.slots = slots;
  }

  /** Alive entries with counters in `[from, to]`, in counter order. */
  *range(from: number, to: number): IterableIterator<E> {
    for (let i = this.lowerBound(from); i < this.counters.length && this.counters[i]! <= to; i++) {
      const e = this.slots[i];
      if (e !== undefined) yield e;
    }
  }

  /** Alive entries in counter order. */
  *values(): IterableIterator<E> {
    for (const e of this.slots) if (e !== undefined) yield e;
  }
}

/** What merging a frame will do, computed before anything changes. */
export interface MergePlan<E extends Dot> {
  readonly remove: readonly E[];
  readonly add: readonly E[];
}


/** Alive entries indexed by dot, and the causal context. */
export class DotStore<E extends Dot> {
  /** Every event seen. */
  readonly context = new VersionVector();
  private readonly columns = new Map<string, Column<E>>();
  private count = 0;
  private lastReplica: string | undefined;
  private lastColumn: Column<E> | undefined;

  /** Number of alive entries. */
  get size(): number {
    return this.count;
  }

  /** Adds an alive entry (its dot must not be present). */
  add(entry: E): void {
    // Entries come grouped by replica, so the column of the previous one usually serves.
    let column = this.lastColumn;
    if (column === undefined || this.lastReplica !== entry.replica) {
      column = this.columns.get(entry.replica);
      if (column === undefined) {
        column = new Column();
        this.columns.set(entry.replica, column);
      }
      this.lastReplica = entry.replica;
      this.lastColumn = column;
    }
    column.add(entry);
    this.count++;
  }

  /** Removes an alive entry; returns whether it was there. */
  remove(entry: Dot): boolean {
    const column = this.columns.get(entry.replica);
    if (column === undefined || !column.remove(entry.counter)) return false;
    if (column.live === 0) {
      this.columns.delete(entry.replica);
      if (this.lastColumn === column) this.lastColumn = undefined;
    }
    this.count--;
    return true;
  }

  /** The state, or the delta a holder of `since` lacks; entries come sorted by dot. */
  snapshot(since: VersionVector | undefined): CausalModel<E> {
    const base = deltaBase(since, this.context);
    const dead = new Map<string, Ranges>();
    for (const [replica, limit] of base.entries()) {
      const ranges: [number, number][] = [];
      let next = 1;
      for (const e of this.columns.get(replica)?.range(1, limit) ?? []) {
        if (e.counter > next) ranges.push([next, e.counter - 1]);
        next = e.counter + 1;
      }
      if (next <= limit) ranges.push([next, limit]);
      if (ranges.length > 0) dead.set(replica, ranges);
    }
    const entries: E[] = [];
    for (const replica of [...this.columns.keys()].sort()) {
      for (const e of this.columns.get(replica)!.range(base.get(replica) + 1, Number.MAX_SAFE_INTEGER)) entries.push(e);
    }
    return { context: this.context.clone(), base, dead, entries };
  }

  /**
   * What merging `model` changes. The caller has checked that this store covers
   * `model.base`. Reads only.
   */
  plan(model: CausalModel<E>): MergePlan<E> {
    const remove: E[] = [];
    // Entries within the base that the sender no longer holds.
    for (const [replica, ranges] of model.dead) {
      const column = this.columns.get(replica);
      if (column === undefined) continue;
      for (const [start, end] of ranges) for (const e of column.range(start, end)) remove.push(e);
    }
    // Entries outside the base that the sender has seen but no longer holds.
    let incoming: Map<string, Set<number>> | undefined;
    for (const [replica, limit] of model.context.entries()) {
      const column = this.columns.get(replica);
      const from = model.base.get(replica);
      if (column === undefined || limit <= from) continue;
      if (incoming === undefined) {
        incoming = new Map();
        for (const e of model.entries) {
          let set = incoming.get(e.replica);
          if (set === undefined) incoming.set(e.replica, (set = new Set()));
          set.add(e.counter);
        }
      }
      const kept = incoming.get(replica);
      for (const e of column.range(from + 1, limit)) if (!kept?.has(e.counter)) remove.push(e);
    }
    // A replica that has seen nothing takes every entry.
    if (this.context.size === 0) return { remove, add: model.entries };
    const add: E[] = [];
    for (const e of model.entries) if (!this.context.contains(e)) add.push(e);
    return { remove, add };
  }

  /** Every alive entry, in no particular order. */
  *entries(): IterableIterator<E> {
    for (const column of this.columns.values()) yield* column.values();
  }
}

