/**
 * Where a hub keeps documents: an append-only log of accepted entries per document, and
 * a snapshot that replaces a prefix of the log once compacted. `append` resolves only when
 * the entry is durable: the hub acknowledges nothing before that.
 */

/** A document as stored. */
export interface StoredDocument {
  /** The document's type (`text`, `pncounter`, `ot-text`, …). */
  readonly type: string;
  /** The state the log builds on (a whole-state frame, or the OT snapshot record), if compacted. */
  readonly snapshot: Uint8Array | undefined;
  /** Entries accepted after the snapshot, oldest first, each with its sequence number. */
  readonly entries: readonly StoredEntry[];
}

/** One accepted entry: a CRDT update frame, or an OT op record. */
export interface StoredEntry {
  /** Increasing per document, from 1; a compaction keeps the numbering. */
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/**
 * The storage a hub needs. Implementations: {@link MemoryStore} here; a LevelDB store in
 * `tandem/server`.
 */
export interface DocumentStore {
  /** The stored document, or undefined when there is none. */
  load(doc: string): Promise<StoredDocument | undefined>;
  /**
   * Appends an entry and resolves once it is durable (it survives a crash of the process
   * right after). Appends may overlap; an entry becomes durable only with every entry
   * appended before it to the same document (a crash never keeps a later entry and loses
   * an earlier one). The first append to a new document records its type.
   */
  append(doc: string, type: string, seq: number, bytes: Uint8Array): Promise<void>;
  /**
   * Replaces the snapshot with `snapshot`, which holds every entry up to `through`, and
   * drops those entries. Atomic: after a crash, either the old snapshot and entries or the
   * new ones are read back, never a mix that loses an entry.
   */
  compact(doc: string, snapshot: Uint8Array, through: number): Promise<void>;
  /** Releases resources; pending writes finish first. */
  close(): Promise<void>;
}

/** A store in memory, for tests, browsers and a server that may forget everything on restart. */
export class MemoryStore implements DocumentStore {
  private readonly docs = new Map<string, { type: string; snapshot: Uint8Array | undefined; entries: StoredEntry[] }>();

  /** @inheritDoc */
  async load(doc: string): Promise<StoredDocument | undefined> {
    const d = this.docs.get(doc);
    return d === undefined ? undefined : { type: d.type, snapshot: d.snapshot, entries: d.entries.slice() };
  }

  /** @inheritDoc */
  async append(doc: string, type: string, seq: number, bytes: Uint8Array): Promise<void> {
    let d = this.docs.get(doc);
    if (d === undefined) this.docs.set(doc, (d = { type, snapshot: undefined, entries: [] }));
    d.entries.push({ seq, bytes: bytes.slice() });
  }

  /** @inheritDoc */
  async compact(doc: string, snapshot: Uint8Array, through: number): Promise<void> {
    const d = this.docs.get(doc);
    if (d === undefined) return;
    d.snapshot = snapshot.slice();
    d.entries = d.entries.filter((e) => e.seq > through);
  }

  /** @inheritDoc */
  async close(): Promise<void> {}
}
