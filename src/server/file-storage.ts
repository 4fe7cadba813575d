/**
 * `FileStorage`: the {@link ClientStorage} of a `SyncClient` running in Node, one file per
 * key in a directory. Node-only, so it lives under `tandem/server`, never in `src/sync`.
 *
 * A file is named by the SHA-256 of its key (keys may hold any character and be longer
 * than a file name may be) and holds the key then the value:
 *
 *   uint32 big-endian   key length in UTF-8 bytes
 *   key                 UTF-8
 *   value               the rest
 *
 * A write goes to a temporary file that is flushed to disk (fsync) and then renamed over
 * the old one, and the directory is flushed, so after a crash a key holds its old value
 * or its new one. Writes to one key run in the order they were made.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientStorage } from '../sync/storage.js';

const SUFFIX = '.value';

/** Client storage in files under one directory (created on first write). */
export class FileStorage implements ClientStorage {
  private readonly queues = new Map<string, Promise<void>>();
  private ready: Promise<void> | undefined;

  /** @param directory Where the files go; one directory per client. */
  constructor(readonly directory: string) {
    if (typeof directory !== 'string' || directory === '') throw new TypeError('FileStorage needs a directory path');
  }

  /** @inheritDoc */
  async get(key: string): Promise<Uint8Array | undefined> {
    await this.queues.get(key);
    const bytes = await readIfExists(this.path(key));
    if (bytes === undefined) return undefined;
    const entry = parse(bytes);
    if (entry === undefined || entry.key !== key) throw new Error(`${this.path(key)} does not hold the value of ${JSON.stringify(key)}: the file is damaged`);
    return entry.value;
  }

  /** @inheritDoc */
  set(key: string, value: Uint8Array): Promise<void> {
    if (!(value instanceof Uint8Array)) return Promise.reject(new TypeError('a stored value must be a Uint8Array'));
    const keyBytes = new TextEncoder().encode(key);
    const record = new Uint8Array(4 + keyBytes.length + value.length);
    new DataView(record.buffer).setUint32(0, keyBytes.length);
    record.set(keyBytes, 4);
    record.set(value, 4 + keyBytes.length);
    return this.enqueue(key, () => this.write(this.path(key), record));
  }

  /** @inheritDoc */
  delete(key: string): Promise<void> {
    return this.enqueue(key, async () => {
      await rm(this.path(key), { force: true });
      await this.syncDirectory();
    });
  }

  /** @inheritDoc */
  async keys(prefix: string): Promise<string[]> {
    await Promise.all(this.queues.values());
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const keys: string[] = [];
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      const bytes = await readIfExists(join(this.directory, name));
      const entry = bytes === undefined ? undefined : parse(bytes);
      if (entry !== undefined && entry.key.startsWith(prefix)) keys.push(entry.key);
    }
    return keys;
  }

  private path(key: string): string {
    return join(this.directory, createHash('sha256').update(key, 'utf8').digest('hex') + SUFFIX);
  }

  private enqueue(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    const settled = next.catch(() => {});
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  private async write(path: string, record: Uint8Array): Promise<void> {
    if (this.ready === undefined) {
      this.ready = mkdir(this.directory, { recursive: true }).then(() => undefined);
      this.ready.catch(() => {
        this.ready = undefined;
      });
    }
    await this.ready;
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(record);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await this.syncDirectory();
  }

  /** Flushes the directory entry of a rename or removal (where the platform allows it). */
  private async syncDirectory(): Promise<void> {
    let directory;
    try {
      directory = await open(this.directory, 'r');
    } catch {
      return;
    }
    try {
      await directory.sync();
    } catch {
      // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
    } finally {
      await directory.close();
    }
  }
}

async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parse(bytes: Uint8Array): { key: string; value: Uint8Array } | undefined {
  if (bytes.length < 4) return undefined;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + length > bytes.length) return undefined;
  return { key: new TextDecoder().decode(bytes.subarray(4, 4 + length)), value: bytes.slice(4 + length) };
}
