/**
 * The contract every library meets to take part in the sequence (text) benchmark. A trace
 * is a recording of people typing (see `traces.ts`); each library replays it through its
 * own text type, and the runner times each step after checking its result against the
 * trace's final text.
 *
 * ```ts
 * const doc = yjs.replay(trace);          // every transaction as a local edit
 * yjs.text(doc) === trace.endContent;     // checked before anything is timed
 * yjs.text(yjs.load(yjs.encode(doc)));    // the same text again
 * yjs.text(yjs.merge(yjs.update(doc)));   // and again, merged into an empty replica
 * ```
 */

/**
 * One edit, as the traces write it: delete `deleteCount` characters at `position`, then
 * insert `insert` there (`Array.prototype.splice` on the document's characters).
 */
export type TracePatch = readonly [position: number, deleteCount: number, insert: string];

/** What every trace has. */
interface TraceBase {
  /** The file's name without `.json.gz`, e.g. `automerge-paper`. */
  readonly name: string;
  /** The text every replay must end with. */
  readonly endContent: string;
  /** How many patches the transactions hold in all. */
  readonly patches: number;
}

/** One author's edits, in order, starting from the empty document. */
export interface SequentialTrace extends TraceBase {
  readonly kind: 'sequential';
  /** Each transaction's patches, applied in order. */
  readonly txns: readonly (readonly TracePatch[])[];
}

/** A transaction of a concurrent trace. */
export interface ConcurrentTxn {
  /**
   * The transactions (earlier in the list) whose causal history the author's document
   * held when making this one; empty for the empty document.
   */
  readonly parents: readonly number[];
  /** Who made it: 0 … agents − 1. */
  readonly agent: number;
  readonly patches: readonly TracePatch[];
}

/** Several authors editing at once; each transaction names what it was made on. */
export interface ConcurrentTrace extends TraceBase {
  readonly kind: 'concurrent';
  readonly agents: number;
  readonly txns: readonly ConcurrentTxn[];
}

/** The libraries compared. */
export type SequenceLibrary = 'tandem' | 'yjs' | 'automerge' | 'loro' | 'json-joy' | 'diamond-types';

/** Every library, in the order the tables list them. */
export const SEQUENCE_LIBRARIES: readonly SequenceLibrary[] = [
  'tandem',
  'yjs',
  'automerge',
  'loro',
  'json-joy',
  'diamond-types',
];

/** How each library is named in output. */
export const SEQUENCE_LIBRARY_NAMES: Readonly<Record<SequenceLibrary, string>> = {
  tandem: 'Tandem',
  yjs: 'Yjs',
  automerge: 'Automerge',
  loro: 'Loro',
  'json-joy': 'json-joy',
  'diamond-types': 'diamond-types',
};

/** The npm package each library is read from, for its version. */
export const SEQUENCE_LIBRARY_PACKAGES: Readonly<Record<SequenceLibrary, string>> = {
  tandem: 'tandem',
  yjs: 'yjs',
  automerge: '@automerge/automerge',
  loro: 'loro-crdt',
  'json-joy': 'json-joy',
  'diamond-types': 'diamond-types-node',
};

/** An encoding of a whole document other than the one `load` reads, for its size. */
export interface OtherEncoding {
  /** What it is, e.g. `V1 update`. */
  readonly format: string;
  readonly bytes: Uint8Array;
}

/**
 * One library's text type. `D` is whatever the library hands back for a document: the
 * runner only passes it back to the same implementation.
 *
 * Every method starts from nothing but its arguments: a replica made inside one gets an
 * id of its own, distinct from every other replica's.
 */
export interface SequenceImplementation<D> {
  readonly library: SequenceLibrary;
  /** The text type as its library names it, e.g. `Y.Text`. */
  readonly type: string;
  /** The format `encode` writes, e.g. `V2 update (Y.encodeStateAsUpdateV2)`. */
  readonly format: string;
  /** The format `update` writes and `merge` reads. */
  readonly updateFormat: string;
  /**
   * Replays every transaction of the trace on one new replica as local edits, each
   * transaction as one transaction, change or commit where the library has them.
   */
  replay(trace: SequentialTrace): D;
  /** The document's text. */
  text(doc: D): string;
  /** The whole document in the library's own storage format: what `load` reads. */
  encode(doc: D): Uint8Array;
  /** Other encodings of the whole document worth reporting the size of. */
  otherEncodings?(doc: D): readonly OtherEncoding[];
  /** A new document holding what `encode` wrote. */
  load(bytes: Uint8Array): D;
  /**
   * Everything the replica has made, as the update the library sends another replica
   * (often the same bytes as `encode`).
   */
  update(doc: D): Uint8Array;
  /** A new, empty replica that then applies `update` as a remote update. */
  merge(update: Uint8Array): D;
  /**
   * Replays a concurrent trace with one replica per agent, as `concurrent.ts` describes;
   * returns every replica.
   */
  replayConcurrent(trace: ConcurrentTrace): readonly D[];
  /** Releases what the document holds outside the JavaScript heap (WebAssembly memory). */
  free?(doc: D): void;
  /** Why a figure this library reports is not what it seems, for the report's notes. */
  readonly notes?: readonly string[];
}

/** What one library module exports. */
export interface SequenceModule {
  /**
   * The document type differs from library to library and the runner never looks
   * inside, so it is erased here (method parameters are bivariant, so any `D` fits).
   */
  readonly implementation: SequenceImplementation<unknown>;
}
