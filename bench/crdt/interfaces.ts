/**
 * The contract every library meets to take part in the merge benchmark, one per data-type
 * family. A workload is written once, as plain data (what each replica does); each
 * library turns it into its own encoded updates (`encode`), and the timed step is
 * `merge`: a fresh, empty replica applies all of them.
 *
 * ```ts
 * // counter: two replicas, one increments twice, the other once, then decrements
 * const replicas: CounterOp[][] = [[1, 1], [1, -1]];
 * const updates = implementation.encode(replicas); // two whole-state updates
 * implementation.merge(updates).value;             // 2
 * ```
 */

/** The libraries compared. */
export type Library = 'tandem' | 'yjs' | 'automerge' | 'loro';

/** Every library, in the order the tables list them. */
export const LIBRARIES: readonly Library[] = ['tandem', 'yjs', 'automerge', 'loro'];

/** How each library is named in output. */
export const LIBRARY_NAMES: Readonly<Record<Library, string>> = {
  tandem: 'Tandem',
  yjs: 'Yjs',
  automerge: 'Automerge',
  loro: 'Loro',
};

/** The npm package each library is read from, for its version. */
export const LIBRARY_PACKAGES: Readonly<Record<Library, string>> = {
  tandem: 'tandem',
  yjs: 'yjs',
  automerge: '@automerge/automerge',
  loro: 'loro-crdt',
};

/**
 * One library's take on one data-type family.
 *
 * Each replica's ops run on a replica of its own, with an id distinct from every other
 * replica's (and from the merging replica's), inside one transaction, change or commit
 * where the library has such a thing: the cheapest history a peer can keep.
 */
export interface Implementation<Op, View> {
  readonly library: Library;
  /** The data type as its library names it, with how it is used when that is not obvious. */
  readonly type: string;
  /**
   * Runs `replicas[i]` on replica `i`, each starting empty, and returns each replica's
   * whole-state update in the library's own encoding, in replica order.
   */
  encode(replicas: readonly (readonly Op[])[]): Uint8Array[];
  /**
   * The measured step: a fresh, empty replica applies every update, through the fastest
   * faithful path the library offers, and the result is returned for inspection.
   */
  merge(updates: readonly Uint8Array[]): View;
  /**
   * Set when building a large workload is too slow for the default run: workloads with
   * more ops on one replica than `opsPerReplica` are then run only under `--full`.
   */
  readonly slowBuild?: { readonly opsPerReplica: number; readonly reason: string };
}

/** A signed step applied to a counter; never 0. */
export type CounterOp = number;

/** What a merged counter holds. */
export interface CounterView {
  readonly value: number;
}

/** A counter implementation; `decrements` says whether it accepts negative steps. */
export interface CounterImplementation extends Implementation<CounterOp, CounterView> {
  readonly decrements: boolean;
}

/** Sets `key` to `value`. */
export interface MapOp {
  readonly key: string;
  readonly value: number;
}

/** What a merged map holds. */
export interface MapView {
  readonly size: number;
  get(key: string): unknown;
}

export type MapImplementation = Implementation<MapOp, MapView>;

/** Adds the element. */
export type SetOp = string;

/** What a merged set holds. */
export interface SetView {
  readonly size: number;
  has(element: string): boolean;
}

export type SetImplementation = Implementation<SetOp, SetView>;

/** Writes the value to the register. */
export type RegisterOp = number;

/** What a merged register holds: the winning value, or every concurrent one. */
export interface RegisterView {
  readonly values: readonly unknown[];
}

/**
 * A register implementation; `keepsConcurrent` says whether it keeps every concurrent
 * write (a multi-value register) rather than picking one.
 */
export interface RegisterImplementation extends Implementation<RegisterOp, RegisterView> {
  readonly keepsConcurrent: boolean;
}

/** What one library module exports: its implementations, family by family. */
export interface LibraryImplementations {
  readonly counters: readonly CounterImplementation[];
  readonly maps: readonly MapImplementation[];
  readonly sets: readonly SetImplementation[];
  readonly registers: readonly RegisterImplementation[];
}
