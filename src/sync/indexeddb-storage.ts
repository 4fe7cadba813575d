/**
 * {@link ClientStorage} over IndexedDB, for browsers: one object store of byte values.
 * The DOM typings are not part of this library's build, so the few IndexedDB members used
 * are declared here structurally.
 */
import type { ClientStorage } from './storage.js';

interface IDBRequestLike<T> {
  result: T;
  error: unknown;
  onsuccess: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

interface IDBOpenRequestLike extends IDBRequestLike<IDBDatabaseLike> {
  onupgradeneeded: ((event: unknown) => void) | null;
  onblocked: ((event: unknown) => void) | null;
}

interface IDBObjectStoreLike {
  get(key: string): IDBRequestLike<unknown>;
  put(value: unknown, key: string): IDBRequestLike<unknown>;
  delete(key: string): IDBRequestLike<unknown>;
  getAllKeys(range?: unknown): IDBRequestLike<unknown[]>;
}

interface IDBTransactionLike {
  objectStore(name: string): IDBObjectStoreLike;
  oncomplete: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onabort: ((event: unknown) => void) | null;
  error: unknown;
}

interface IDBDatabaseLike {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(store: string, mode: 'readonly' | 'readwrite', options?: { durability?: 'strict' | 'relaxed' | 'default' }): IDBTransactionLike;
  close(): void;
}

/** The part of IndexedDB's `IDBFactory` this storage uses (the platform's `indexedDB`, or a test double). */
export interface IDBFactoryLike {
  open(name: string, version?: number): IDBOpenRequestLike;
}

interface IDBKeyRangeStatic {
  bound(lower: string, upper: string, lowerOpen?: boolean, upperOpen?: boolean): unknown;
}

const STORE = 'values';

/** The platform's IndexedDB, or undefined when it has none (Node, some private modes). */
function platformIndexedDB(): IDBFactoryLike | undefined {
  const factory = (globalThis as { indexedDB?: IDBFactoryLike }).indexedDB;
  return typeof factory === 'object' && factory !== null ? factory : undefined;
}

/**
 * Client storage in an IndexedDB database (default name `tandem`), for browsers. Writes
 * use `strict` durability, so a `set` resolves once the value is on disk.
 *
 * Two tabs of one origin share the database, hence the client id: give each tab its own
 * `name` (or make sure one tab syncs at a time), since two live clients under one id
 * would spend the same events.
 *
 * @example
 * const storage = IndexedDBStorage.available() ? new IndexedDBStorage('notes-app') : new MemoryStorage();
 */
export class IndexedDBStorage implements ClientStorage {
  private database: Promise<IDBDatabaseLike> | undefined;
  private readonly factory: IDBFactoryLike | undefined;

  /**
   * @param name The database name.
   * @param factory The IndexedDB factory; defaults to the platform's `indexedDB`.
   */
  constructor(
    readonly name = 'tandem',
    factory?: IDBFactoryLike,
  ) {
    this.factory = factory ?? platformIndexedDB();
  }

  /** Whether this platform has IndexedDB. */
  static available(): boolean {
    return platformIndexedDB() !== undefined;
  }

  /** @inheritDoc */
  async get(key: string): Promise<Uint8Array | undefined> {
    const value = await this.run('readonly', (store) => store.get(key));
    if (value === undefined) return undefined;
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    throw new TypeError(`IndexedDB database ${this.name} holds a value under ${JSON.stringify(key)} that is not bytes`);
  }

  /** @inheritDoc */
  async set(key: string, value: Uint8Array): Promise<void> {
    if (!(value instanceof Uint8Array)) throw new TypeError('a stored value must be a Uint8Array');
    await this.run('readwrite', (store) => store.put(value.slice(), key));
  }

  /** @inheritDoc */
  async delete(key: string): Promise<void> {
    await this.run('readwrite', (store) => store.delete(key));
  }

  /** @inheritDoc */
  async keys(prefix: string): Promise<string[]> {
    const range = (globalThis as { IDBKeyRange?: IDBKeyRangeStatic }).IDBKeyRange;
    const keys = await this.run('readonly', (store) =>
      store.getAllKeys(range === undefined || prefix === '' ? undefined : range.bound(prefix, `${prefix}\uffff`)),
    );
    return keys.filter((key): key is string => typeof key === 'string' && key.startsWith(prefix));
  }

  /** Closes the database; later calls reopen it. */
  async close(): Promise<void> {
    const database = this.database;
    this.database = undefined;
    if (database !== undefined) (await database).close();
  }

  private open(): Promise<IDBDatabaseLike> {
    if (this.database !== undefined) return this.database;
    const factory = this.factory;
    if (factory === undefined) return Promise.reject(new Error('IndexedDB is not available on this platform; use MemoryStorage or FileStorage'));
    this.database = new Promise((resolve, reject) => {
      const request = factory.open(this.name, 1);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(asError(request.error, `cannot open IndexedDB database ${this.name}`));
      request.onblocked = () => reject(new Error(`IndexedDB database ${this.name} is blocked by another connection`));
    });
    this.database.catch(() => {
      this.database = undefined;
    });
    return this.database;
  }

  /** Runs one request in its own transaction; resolves with its result once the transaction commits. */
  private async run<T>(mode: 'readonly' | 'readwrite', request: (store: IDBObjectStoreLike) => IDBRequestLike<T>): Promise<T> {
    const database = await this.open();
    return new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(STORE, mode, { durability: 'strict' });
      const pending = request(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(pending.result);
      transaction.onerror = () => reject(asError(transaction.error, `IndexedDB ${mode} transaction failed`));
      transaction.onabort = () => reject(asError(transaction.error, `IndexedDB ${mode} transaction aborted`));
    });
  }
}

function asError(error: unknown, fallback: string): Error {
  return error instanceof Error ? error : new Error(fallback);
}
