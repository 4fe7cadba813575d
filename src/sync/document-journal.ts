/**
 * One replicated document's entries in a {@link SyncJournal}: what a client journals on
 * each local change, removes once its storage holds it, and replays when the document is
 * opened again.
 *
 * An entry is the delta `doc.encode(since)` under the key `<client>/<name>/<seq>`
 * (`name` URI-encoded, `seq` counting up from 1 per document). `since` is what the
 * storage and the earlier entries already hold between them: the document's version at
 * the previous entry, joined with the version of the latest finished storage write. So
 * the stored state followed by the entries in `seq` order holds every change made; a
 * delta that repeats what the state holds is merged idempotently.
 */
import { VersionVector, type Replicated, type Version } from '../crdt/index.js';
import type { SyncJournal } from './journal.js';
import { SyncClientError } from './session.js';

/** A replicated document's journal. */
export class DocumentJournal {
  private readonly prefix: string;
  private next = 1;
  /** Sequence numbers of the entries no finished storage write holds yet, ascending. */
  private live: number[] = [];
  /** What the storage and the live entries hold: the base of the next entry. */
  private readonly through = new VersionVector();
  /** Whether the last append failed (reported once until one succeeds). */
  private failing = false;

  constructor(
    private readonly journal: SyncJournal,
    private readonly client: string,
    private readonly name: string,
    private readonly report: (error: SyncClientError) => void,
  ) {
    this.prefix = `${client}/${encodeURIComponent(name)}/`;
  }

  /** Whether entries are waiting for a storage write. */
  get holding(): boolean {
    return this.live.length > 0;
  }

  /**
   * Merges into the stored `state` the entries a previous run left, in order, and returns
   * the result with this replica's counter after each entry that added a change of its own
   * (the marks of changes not yet acknowledged). A replica takes events of its own id only
   * while it has none (loading its state), so the merging happens in `scratch()`, an empty
   * replica of the same type under another id, whose whole state the document then loads
   * in one update. An entry that does not merge is reported and removed; a journal that
   * cannot be read is reported and replays nothing.
   * @throws {DecodeError} when `state` does not load.
   */
  replay(state: Uint8Array | undefined, scratch: () => Replicated): { state: Uint8Array | undefined; marks: number[] } {
    let found: [string, Uint8Array][];
    try {
      found = this.journal.entries(this.prefix);
    } catch (error) {
      this.report(new SyncClientError('storage', `could not read the journal of ${this.name}: ${describe(error)}`, this.name, { cause: error }));
      found = [];
    }
    const entries: [number, string, Uint8Array][] = [];
    for (const [key, value] of found) {
      const rest = key.slice(this.prefix.length);
      if (/^[1-9][0-9]{0,15}$/.test(rest)) entries.push([Number(rest), key, value]);
    }
    if (entries.length === 0) return { state, marks: [] };
    entries.sort((a, b) => a[0] - b[0]);
    this.next = entries[entries.length - 1]![0] + 1;
    const doc = scratch();
    if (state !== undefined) doc.apply(state);
    const marks: number[] = [];
    let own = doc.version()[this.client] ?? 0;
    for (const [seq, key, value] of entries) {
      try {
        doc.apply(value);
      } catch (error) {
        this.report(new SyncClientError('storage', `a journaled change to ${this.name} does not merge and is dropped: ${describe(error)}`, this.name, { cause: error }));
        this.remove(key);
        continue;
      }
      this.live.push(seq);
      const after = doc.version()[this.client] ?? 0;
      if (after > own) marks.push(after);
      own = after;
    }
    return { state: doc.encode(), marks };
  }

  /** The document, restored, is at `version`: the first entry holds what it adds to that. */
  opened(version: Version): void {
    this.through.merge(VersionVector.from(version, 'restored version'));
  }

  /** Journals the change `doc` just made, synchronously; a failure is reported, and the next entry covers it. */
  record(doc: Replicated): void {
    const version = doc.version();
    const seq = this.next;
    try {
      this.journal.append(this.prefix + seq, doc.encode(this.through.toJSON()));
    } catch (error) {
      if (!this.failing) {
        this.report(
          new SyncClientError(
            'storage',
            `could not journal a change to ${this.name} (it is still stored and sent as usual, but a reload before its storage write ends would lose it): ${describe(error)}`,
            this.name,
            { cause: error },
          ),
        );
      }
      this.failing = true;
      return;
    }
    this.failing = false;
    this.next++;
    this.live.push(seq);
    this.through.merge(VersionVector.from(version, 'version'));
  }

  /** The last entry a storage write starting now holds. */
  checkpoint(): number {
    return this.next - 1;
  }

  /** A storage write that started at `checkpoint` with the state at `version` has finished: its entries are removed. */
  written(checkpoint: number, version: Version): void {
    this.through.merge(VersionVector.from(version, 'stored version'));
    while (this.live.length > 0 && this.live[0]! <= checkpoint) this.remove(this.prefix + this.live.shift()!);
  }

  private remove(key: string): void {
    try {
      this.journal.remove(key);
    } catch (error) {
      this.report(new SyncClientError('storage', `could not remove a journal entry of ${this.name}: ${describe(error)}`, this.name, { cause: error }));
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
