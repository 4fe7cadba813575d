/**
 * Where a {@link SyncClient} keeps its state between runs: its client id, and for each
 * open document the state, what the server has acknowledged and the changes not yet
 * acknowledged (the outbox). Keys are strings, values bytes.
 *
 * Implementations: {@link MemoryStorage} (tests; state lost with the process),
 * {@link IndexedDBStorage} (browsers), and `FileStorage` in `tandem/server` (Node).
 */
export interface ClientStorage {
  /** The value under `key`, or undefined. */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * Stores `value` under `key`, replacing any value. Resolves once the value would be
   * read back after a reload; a write is atomic (a reader sees the old value or the new
   * one, never part of either).
   */
  set(key: string, value: Uint8Array): Promise<void>;
  /** Removes `key`; no-op when absent. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix`, in no particular order. */
  keys(prefix: string): Promise<string[]>;
}

/**
 * Storage in memory. A new {@link SyncClient} over the same instance sees what the
 * previous one stored, which is how tests simulate a reload. Values are copied in and
 * out, so callers cannot change what is stored.
 */
export class MemoryStorage implements ClientStorage {
  private readonly values = new Map<string, Uint8Array>();

  /** @inheritDoc */
  async get(key: string): Promise<Uint8Array | undefined> {
    return this.values.get(key)?.slice();
  }

  /** @inheritDoc */
  async set(key: string, value: Uint8Array): Promise<void> {
    if (!(value instanceof Uint8Array)) throw new TypeError('a stored value must be a Uint8Array');
    this.values.set(key, value.slice());
  }

  /** @inheritDoc */
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  /** @inheritDoc */
  async keys(prefix: string): Promise<string[]> {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix));
  }
}
