/**
 * A synchronous journal of local changes not yet in {@link ClientStorage}.
 *
 * A {@link SyncClient} writes every change to its storage and sends it only once the
 * write has finished, so the server never holds an event the storage would not find
 * after a reload. Browser storage (IndexedDB) writes asynchronously: a page reloaded or
 * closed during that write would lose the change, since neither the storage nor the
 * server has it. A journal closes that window. Its methods are synchronous, so a change
 * is journaled in the same turn it was made, before any write or send starts; the client
 * removes the entry once a storage write holding the change has finished, and replays
 * what is left when the document is opened again.
 *
 * The journal is best effort on top of the storage: when it fails (full, or not
 * available), the client reports the failure and carries on with the storage alone, so
 * only the reload window is unprotected again. It covers replicated documents only;
 * OT documents do not use it. Entries normally live for one storage write (milliseconds);
 * those a reload left stay until their document is opened again.
 *
 * Implementations: {@link MemoryJournal} (tests; survives a {@link SyncClient} but not
 * the process) and {@link webStorageJournal} (browsers: `localStorage` or
 * `sessionStorage`).
 */
import { decodeBase64 } from './sse-transport.js';

/**
 * Where a client journals its local changes synchronously. Keys are strings the client
 * makes (the document and a sequence number); values are bytes.
 */
export interface SyncJournal {
  /**
   * Stores `value` under `key`, replacing any value; on return, a reload finds it.
   * @throws when it cannot hold the entry (a full `localStorage` throws a
   *   `QuotaExceededError`); the client then reports it and relies on its storage.
   */
  append(key: string, value: Uint8Array): void;
  /**
   * Every entry whose key starts with `prefix`, in no particular order.
   * @throws when the journal cannot be read, or holds a value it cannot decode.
   */
  entries(prefix: string): [key: string, value: Uint8Array][];
  /** Removes `key`; a no-op when absent. */
  remove(key: string): void;
}

/**
 * A journal in memory. A new {@link SyncClient} over the same instance finds what the
 * previous one journaled, which is how tests simulate a reload. Values are copied in and
 * out.
 */
export class MemoryJournal implements SyncJournal {
  private readonly values = new Map<string, Uint8Array>();

  /** The number of entries held. */
  get size(): number {
    return this.values.size;
  }

  /** @inheritDoc */
  append(key: string, value: Uint8Array): void {
    if (!(value instanceof Uint8Array)) throw new TypeError('a journaled value must be a Uint8Array');
    this.values.set(key, value.slice());
  }

  /** @inheritDoc */
  entries(prefix: string): [key: string, value: Uint8Array][] {
    return [...this.values].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key, value.slice()]);
  }

  /** @inheritDoc */
  remove(key: string): void {
    this.values.delete(key);
  }
}

/** The part of the Web Storage API (`localStorage`, `sessionStorage`) a journal uses. */
export interface WebStorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A journal in Web Storage: each entry is one item under `prefix` + key, its value in
 * base64. `localStorage` survives a reload and a closed tab; `sessionStorage` survives a
 * reload only. Give each client its own `prefix` when several share one origin (two tabs
 * with separate IndexedDB databases need separate journals).
 *
 * A full storage makes `append` throw the browser's `QuotaExceededError`, which the
 * client reports through its `error` event (code `storage`) while the change still goes
 * through its normal storage and reaches the server.
 * @throws {TypeError} when there is no `storage` (no `localStorage` on this platform and
 *   none given). Reading `localStorage` itself throws a `SecurityError` where the browser
 *   forbids it (storage disabled for the site).
 */
export function webStorageJournal(storage: WebStorageLike | undefined = (globalThis as { localStorage?: WebStorageLike }).localStorage, prefix = 'tandem:'): SyncJournal {
  if (storage === undefined || storage === null) throw new TypeError('webStorageJournal needs a Web Storage (localStorage is not available on this platform)');
  const web = storage;
  return {
    append(key, value) {
      web.setItem(prefix + key, encodeBase64(value));
    },
    entries(within) {
      const start = prefix + within;
      const keys: string[] = [];
      for (let i = 0; i < web.length; i++) {
        const key = web.key(i);
        if (key !== null && key.startsWith(start)) keys.push(key);
      }
      const out: [string, Uint8Array][] = [];
      for (const key of keys) {
        const text = web.getItem(key);
        if (text === null) continue;
        let value: Uint8Array;
        try {
          value = decodeBase64(text);
        } catch (error) {
          throw new TypeError(`the journal entry ${JSON.stringify(key)} is not base64`, { cause: error });
        }
        out.push([key.slice(prefix.length), value]);
      }
      return out;
    },
    remove(key) {
      web.removeItem(prefix + key);
    },
  };
}

/** Standard base64, with padding. */
function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
