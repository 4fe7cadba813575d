/**
 * A sequence update as plain data, between the engine and the codec (`FORMAT.md`
 * section 4.8).
 */
import type { VersionVector } from '../clock/index.js';

/** An item: the `counter`-th event of `replica`. */
export interface ItemId {
  readonly replica: string;
  readonly counter: number;
}

/**
 * Items `counter .. counter + length - 1` of `replica`, inserted one after another:
 * item k's left origin is item k − 1, the first one's is (`leftReplica`, `leftCounter`)
 * (`leftReplica` undefined: the start of the document); all share the right origin
 * (`rightReplica`, `rightCounter`) (undefined: the end). The origins are flat fields, not
 * {@link ItemId} objects, so that decoding a large state makes one object per run.
 * `content` holds the items of a visible run; a deleted run has none.
 */
export interface RunRecord<C> {
  readonly replica: string;
  readonly counter: number;
  readonly length: number;
  readonly leftReplica: string | undefined;
  /** The left origin's counter; 0 when there is none. */
  readonly leftCounter: number;
  readonly rightReplica: string | undefined;
  /** The right origin's counter; 0 when there is none. */
  readonly rightCounter: number;
  readonly deleted: boolean;
  readonly content: C | undefined;
}

/**
 * Deletions `counter .. counter + length - 1` of `replica`: the k-th deletes item
 * `target.counter + k × direction` of `target.replica`.
 */
export interface DeletionRecord {
  readonly replica: string;
  readonly counter: number;
  readonly length: number;
  readonly target: ItemId;
  readonly direction: 1 | -1;
}

/** Items `counter .. counter + length - 1` of `replica`, all deleted. */
export interface RangeRecord {
  readonly replica: string;
  readonly counter: number;
  readonly length: number;
}

/**
 * An update: the runs inserted above `base` (by replica, then counter), and either the deletions
 * made above `base` (`deletions`) or, when this replica no longer knows which event
 * deleted what (it learned some deletions from a whole state), every deleted item at or
 * below `base` (`deleted`). A whole state has an empty base, so its runs carry every
 * deletion.
 */
export interface SequenceModel<C> {
  readonly version: VersionVector;
  readonly base: VersionVector;
  /** Whether deletions are listed by event (`deletions`) or by item (`deleted`). */
  readonly exact: boolean;
  readonly runs: readonly RunRecord<C>[];
  readonly deletions: readonly DeletionRecord[];
  readonly deleted: readonly RangeRecord[];
}
