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
import {
  DecodeError,
  ReplicaTableReader,
  ReplicaTableWriter,
  expectArray,
  expectEntries,
  expectObject,
  expectUint,
  type DecodeLimits,
  type PayloadCodec,
  type Reader,
  type Writer,
} from '../../codec/index.js';
import { VersionVector, type Dot } from '../clock/index.js';
import { ReplicatedBase, type ChangeEvent, type ReplicatedOptions } from '../replicated.js';
import {
  addVersionReplicas,
  deltaBase,
  byDot,
  dotFromJSON,
  mapObjects,
  readBase,
  readGroups,
  readVersion,
  replicaFromJSON,
  versionFromJSON,
  writeGroups,
  writeVersion,
} from '../wire.js';

/** Inclusive ranges `[start, end]` of counters, sorted, never touching. */
export type Ranges = readonly (readonly [number, number])[];

/** Payload model of a causal dot store. */
export interface CausalModel<E extends Dot> {
  readonly context: VersionVector;
  readonly base: VersionVector;
  /** Per replica, the dots within `base` that the sender no longer holds. */
  readonly dead: ReadonlyMap<string, Ranges>;
  /** Alive entries outside `base`, sorted by dot. */
  readonly entries: readonly E[];
}

/** How a type's entry payload is encoded. */
export interface EntryCodec<E extends Dot> {
  /** Writes an entry's payload; `previous` is the entry written just before, if any. */
  write(w: Writer, entry: E, previous: E | undefined): void;
  /** Reads an entry's payload; `previous` is the entry read just before, if any. */
  read(r: Reader, replica: string, counter: number, previous: E | undefined): E;
  toJSON(entry: E): Record<string, unknown>;
  fromJSON(o: Record<string, unknown>, dot: Dot, path: string, limits: DecodeLimits): E;
}

/** Builds the payload codec of a causal type from its entry codec. */
export function causalCodec<E extends Dot>(tag: number, name: string, entry: EntryCodec<E>): PayloadCodec<CausalModel<E>> {
  return {
    tag,
    name,
    write(w: Writer, model: CausalModel<E>): void {
      const table = new ReplicaTableWriter();
      addVersionReplicas(table, model.context);
      table.write(w);
      writeVersion(w, table, model.context);
      writeVersion(w, table, model.base);
      const dead = [...model.dead].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      w.uint(dead.length);
      for (const [replica, ranges] of dead) {
        table.ref(w, replica);
        w.uint(ranges.length);
        let previousEnd = 0;
        for (const [start, end] of ranges) {
          w.uint(start - previousEnd - 1);
          w.uint(end - start + 1);
          previousEnd = end;
        }
      }
      writeGroups(w, table, model.entries, entry.write);
    },
    read(r: Reader): CausalModel<E> {
      const table = new ReplicaTableReader(r);
      const context = readVersion(r, table);
      const base = readBase(r, table, context);
      const dead = new Map<string, Ranges>();
      const replicas = r.count(2);
      let previousRef = -1;
      for (let i = 0; i < replicas; i++) {
        const ref = table.refIndex(r);
        if (ref <= previousRef) throw r.error('non-canonical', 'dead ranges must be in strictly increasing replica order');
        previousRef = ref;
        const replica = table.ids[ref]!;
        const n = r.count(2);
        if (n === 0) throw r.error('non-canonical', 'a replica with no dead range is not listed');
        const ranges: [number, number][] = [];
        let previousEnd = 0;
        for (let k = 0; k < n; k++) {
          const gap = r.uint();
          if (k > 0 && gap === 0) throw r.error('non-canonical', 'dead ranges never touch');
          const length = r.uint();
          if (length === 0) throw r.error('non-canonical', 'a dead range is never empty');
          const start = previousEnd + gap + 1;
          const end = start + length - 1;
          if (end > base.get(replica)) throw r.error('invalid-value', `dead range of ${replica} ends past the base`);
          ranges.push([start, end]);
          previousEnd = end;
        }
        dead.set(replica, ranges);
      }
      const entries = readGroups(r, table, context, base, entry.read);
      table.finish(r);
      return { context, base, dead, entries };
    },
    toJSON(model: CausalModel<E>): unknown {
      const dead: Record<string, unknown> = {};
      for (const [replica, ranges] of [...model.dead].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        Object.defineProperty(dead, replica, { value: ranges.map(([s, e]) => [s, e]), enumerable: true, writable: true, configurable: true });
      }
      return {
        context: model.context.toJSON(),
        base: model.base.toJSON(),
        dead,
        entries: model.entries.map((e) => ({ replica: e.replica, counter: e.counter, ...entry.toJSON(e) })),
      };
    },
    fromJSON(json: unknown, limits: DecodeLimits): CausalModel<E> {
      const o = expectObject(json, 'payload');
      const dead = new Map<string, Ranges>();
      for (const [replica, list] of expectEntries(o.dead, 'payload.dead', limits)) {
        const path = `payload.dead.${replica}`;
        replicaFromJSON(replica, path);
        dead.set(
          replica,
          expectArray(list, path, limits).map((range, i) => {
            const pair = expectArray(range, `${path}[${i}]`, limits);
            if (pair.length !== 2) throw new DecodeError('invalid-value', `${path}[${i}] must be [start, end]`);
            const start = expectUint(pair[0], `${path}[${i}][0]`, 1);
            const end = expectUint(pair[1], `${path}[${i}][1]`, start);
            return [start, end] as const;
          }),
        );
      }
      return {
        context: versionFromJSON(o.context, 'payload.context', limits),
        base: versionFromJSON(o.base, 'payload.base', limits),
        dead,
        entries: mapObjects(o.entries, 'payload.entries', limits, (e, path) => entry.fromJSON(e, dotFromJSON(e, path), path, limits)),
      };
    },
  };
}

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

  /** Number of alive entries. */
  get size(): number {
    return this.count;
  }

  /** Adds an alive entry (its dot must not be present). */
  add(entry: E): void {
    let column = this.columns.get(entry.replica);
    if (column === undefined) {
      column = new Column();
      this.columns.set(entry.replica, column);
    }
    column.add(entry);
    this.count++;
  }

  /** Removes an alive entry; returns whether it was there. */
  remove(entry: Dot): boolean {
    const column = this.columns.get(entry.replica);
    if (column === undefined || !column.remove(entry.counter)) return false;
    if (column.live === 0) this.columns.delete(entry.replica);
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

/** What a type reads of an element's entries to decide what the element shows. */
export interface SlotView<E> {
  /** Number of alive entries. */
  readonly size: number;
  /** The first entry in the type's order (see `CausalBase.place`). */
  readonly first: E | undefined;
  /** The last entry in the type's order. */
  readonly last: E | undefined;
}

/** The view of an element with no entries. */
const NO_ENTRIES: SlotView<never> = Object.freeze({ size: 0, first: undefined, last: undefined });

/**
 * The alive entries of one element (or map key), and what the element showed before the
 * change in progress. Almost every element has a single entry, held as is; an array is
 * made only when concurrent entries meet.
 */
export class Slot<E, K, Shown> implements SlotView<E> {
  private one: E | undefined;
  private many: E[] | undefined;

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
    return this.many !== undefined ? this.many.length : this.one === undefined ? 0 : 1;
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

  /** Adds an entry where `place` puts it among several. */
  add(entry: E, place: (entries: E[], entry: E) => void): void {
    if (this.many !== undefined) {
      place(this.many, entry);
    } else if (this.one === undefined) {
      this.one = entry;
    } else {
      this.many = [this.one];
      this.one = undefined;
      place(this.many, entry);
    }
  }

  /** Removes an entry. */
  remove(entry: E): void {
    if (this.many === undefined) {
      if (this.one === entry) this.one = undefined;
      return;
    }
    const at = this.many.indexOf(entry);
    if (at !== -1) this.many.splice(at, 1);
    if (this.many.length === 1) {
      this.one = this.many[0];
      this.many = undefined;
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
   * every change that touches the element, so it should not scan: {@link place} can keep
   * the entries in an order that makes it O(1).
   */
  protected abstract show(slot: SlotView<E>): Shown;

  /** Puts a new entry among an element's several entries; appends unless a type keeps an order. */
  protected place(entries: E[], entry: E): void {
    entries.push(entry);
  }

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

  private readonly placeEntry = (entries: E[], entry: E): void => this.place(entries, entry);

  private addEntry(entry: E): void {
    const key = this.keyOf(entry);
    const slot = this.index.get(key);
    if (slot === undefined) {
      const created = new Slot(key, entry, this.epoch, this.show(NO_ENTRIES));
      this.index.set(key, created);
      this.touched.push(created);
    } else {
      this.touch(slot);
      slot.add(entry, this.placeEntry);
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
    for (const slot of touched) if (slot.size === 0) this.index.delete(slot.key);
    return this.event(touched);
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
