/**
 * `LevelStore`: the server's default {@link DocumentStore}, on LevelDB (`classic-level`)
 * in a directory of its own.
 *
 * Layout (keys are UTF-8 strings, values raw bytes), one contiguous key range per
 * document so that a single iterator reads a document consistently:
 *
 *   format                      the layout version, "1"
 *   d/<doc>/e/<seq, 16 digits>  one log entry, as appended
 *   d/<doc>/s                   the snapshot, when compacted
 *   d/<doc>/t                   the document's type, UTF-8
 *
 * `<doc>` is the id through `encodeURIComponent`, which never yields `/`, so no document's
 * range overlaps another's. Every write is a LevelDB batch with `sync: true` (fsync of the
 * write-ahead log before the promise resolves): an `append` that has resolved survives a
 * SIGKILL of the process and, as far as the disk honours fsync, a power loss. Appends that
 * arrive while a write is in flight are written together as the next batch (group commit),
 * so many clients share one fsync. `compact` is one batch too: the new snapshot and the
 * deletion of the entries it holds land together or not at all.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassicLevel } from 'classic-level';
import type { DocumentStore, StoredDocument, StoredEntry } from '../sync/store.js';

/** The layout version this module writes and reads. */
export const LEVEL_STORE_FORMAT = '1';

/** Digits of a sequence number in a key: every safe integer fits, so keys sort by number. */
const SEQ_DIGITS = 16;
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

type Db = ClassicLevel<string, Uint8Array>;

interface PendingAppend {
  readonly doc: string;
  readonly type: string;
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

type BatchOperation = { readonly type: 'put'; readonly key: string; readonly value: Uint8Array } | { readonly type: 'del'; readonly key: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function docPrefix(doc: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(doc);
  } catch {
    throw new TypeError('a document id must be well-formed UTF-16 (no lone surrogate)');
  }
  return `d/${encoded}/`;
}

function entryKey(prefix: string, seq: number): string {
  return `${prefix}e/${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

function checkSeq(seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > MAX_SEQ) throw new RangeError(`a sequence number is an integer from 1 to ${MAX_SEQ}, got ${seq}`);
}

/**
 * Loads `classic-level`, which `tandem/server` lists as an optional peer dependency.
 * @throws {Error} naming the package to install when it is missing.
 */
async function loadClassicLevel(): Promise<typeof import('classic-level')> {
  try {
    return await import('classic-level');
  } catch (error) {
    throw new Error('LevelStore needs the optional package classic-level: npm install classic-level (or pass the server a store of your own)', { cause: error });
  }
}

/** A {@link DocumentStore} on LevelDB: durable appends with group commit, atomic compaction. */
export class LevelStore implements DocumentStore {
  /** Types of the documents this store has read or written, so an append writes the type only once. */
  private readonly types = new Map<string, string>();
  private pending: PendingAppend[] = [];
  /** The write in flight (a group of appends or a compaction); writes never overlap. */
  private writing: Promise<void> = Promise.resolve();
  private flushing = false;
  private closed = false;

  private constructor(
    private readonly db: Db,
    /** The directory holding the database. */
    readonly location: string,
  ) {}

  /**
   * Opens (creating when missing) the store in `directory`/`documents`.
   * @throws {Error} when classic-level is not installed, the directory cannot be created,
   * another process holds the database, or it was written in another layout.
   */
  static async open(directory: string): Promise<LevelStore> {
    const { ClassicLevel } = await loadClassicLevel();
    const location = join(directory, 'documents');
    await mkdir(location, { recursive: true });
    const db: Db = new ClassicLevel<string, Uint8Array>(location, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open();
    const format = await db.get('format');
    if (format === undefined) {
      await db.put('format', encoder.encode(LEVEL_STORE_FORMAT), { sync: true });
    } else if (decoder.decode(format) !== LEVEL_STORE_FORMAT) {
      await db.close();
      throw new Error(`${location} holds layout ${decoder.decode(format)}, this version reads layout ${LEVEL_STORE_FORMAT}`);
    }
    return new LevelStore(db, location);
  }

  /**
   * @inheritDoc
   * @throws {Error} when the stored bytes are not this layout (a damaged database).
   */
  async load(doc: string): Promise<StoredDocument | undefined> {
    this.checkOpen();
    const prefix = docPrefix(doc);
    let type: string | undefined;
    let snapshot: Uint8Array | undefined;
    const entries: StoredEntry[] = [];
    // One iterator reads from one implicit LevelDB snapshot: a compaction that lands
    // meanwhile is seen entirely or not at all.
    for await (const [key, value] of this.db.iterator({ gte: prefix, lt: `${prefix}~` })) {
      const suffix = key.slice(prefix.length);
      if (suffix === 't') type = decoder.decode(value);
      else if (suffix === 's') snapshot = value;
      else if (suffix.startsWith('e/') && suffix.length === 2 + SEQ_DIGITS) entries.push({ seq: Number(suffix.slice(2)), bytes: value });
      else throw new Error(`unexpected key ${JSON.stringify(key)} in the document store`);
    }
    if (type === undefined) {
      if (snapshot !== undefined || entries.length > 0) throw new Error(`document ${JSON.stringify(doc)} has entries but no type`);
      return undefined;
    }
    this.types.set(doc, type);
    return { type, snapshot, entries };
  }

  /**
   * @inheritDoc
   * @throws {RangeError} when `seq` is not an integer ≥ 1.
   * @throws {Error} when the store is closed or the write fails (nothing was written then).
   */
  append(doc: string, type: string, seq: number, bytes: Uint8Array): Promise<void> {
    try {
      this.checkOpen();
      checkSeq(seq);
      docPrefix(doc);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ doc, type, seq, bytes: bytes.slice(), resolve, reject });
      this.scheduleFlush();
    });
  }

  /**
   * @inheritDoc
   * @throws {RangeError} when `through` is not an integer ≥ 1.
   * @throws {Error} when the store is closed or the write fails (nothing changed then).
   */
  compact(doc: string, snapshot: Uint8Array, through: number): Promise<void> {
    try {
      this.checkOpen();
      checkSeq(through);
    } catch (error) {
      return Promise.reject(error);
    }
    const prefix = docPrefix(doc);
    const copy = snapshot.slice();
    return this.serialize(async () => {
      if (!this.types.has(doc) && (await this.db.get(`${prefix}t`)) === undefined) return;
      const operations: BatchOperation[] = [{ type: 'put', key: `${prefix}s`, value: copy }];
      for await (const key of this.db.keys({ gte: entryKey(prefix, 1), lte: entryKey(prefix, through) })) operations.push({ type: 'del', key });
      await this.db.batch(operations, { sync: true });
    });
  }

  /** @inheritDoc */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing || this.pending.length > 0) await this.writing;
    await this.writing.catch(() => undefined);
    await this.db.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the document store is closed');
  }

  /** Runs `write` after every earlier write, so compactions and groups of appends never interleave. */
  private serialize(write: () => Promise<void>): Promise<void> {
    const run = this.writing.then(write, write);
    this.writing = run.catch(() => undefined);
    return run;
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    void this.serialize(async () => {
      // Everything queued until this write starts goes into it.
      const group = this.pending;
      this.pending = [];
      this.flushing = false;
      const operations: BatchOperation[] = [];
      const typed = new Map<string, string>();
      for (const a of group) {
        const prefix = docPrefix(a.doc);
        if (!this.types.has(a.doc) && !typed.has(a.doc)) {
          typed.set(a.doc, a.type);
          operations.push({ type: 'put', key: `${prefix}t`, value: encoder.encode(a.type) });
        }
        operations.push({ type: 'put', key: entryKey(prefix, a.seq), value: a.bytes });
      }
      try {
        await this.db.batch(operations, { sync: true });
      } catch (error) {
        for (const a of group) a.reject(error);
        return;
      }
      for (const [doc, type] of typed) this.types.set(doc, type);
      for (const a of group) a.resolve();
    });
  }
}
