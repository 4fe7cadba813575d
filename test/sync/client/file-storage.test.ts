import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Text } from '../../../src/crdt/index.js';
import { FileStorage } from '../../../src/server/file-storage.js';
import { world } from './harness.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tandem-file-storage-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('FileStorage', () => {
  it('stores, lists by prefix, replaces and deletes; a new instance reads what an old one wrote', async () => {
    const storage = new FileStorage(join(directory, 'client'));
    expect(await storage.keys('')).toEqual([]);
    await storage.set('doc:a/b', new Uint8Array([1, 2, 3]));
    await storage.set('doc:' + 'x'.repeat(300), new Uint8Array([4]));
    await storage.set('client', new Uint8Array([5]));
    await Promise.all([storage.set('doc:a/b', new Uint8Array([6])), storage.set('doc:a/b', new Uint8Array([7, 8]))]);
    const again = new FileStorage(join(directory, 'client'));
    expect(Array.from((await again.get('doc:a/b'))!)).toEqual([7, 8]);
    expect((await again.keys('doc:')).sort()).toEqual(['doc:a/b', 'doc:' + 'x'.repeat(300)]);
    await again.delete('doc:a/b');
    expect(await again.get('doc:a/b')).toBeUndefined();
    expect(await again.get('missing')).toBeUndefined();
    expect((await readdir(join(directory, 'client'))).some((name) => name.endsWith('.tmp'))).toBe(false);
  });

  it('a damaged file is an error naming the key, not a wrong value', async () => {
    const storage = new FileStorage(directory);
    await storage.set('k', new Uint8Array([1]));
    const [name] = await readdir(directory);
    await writeFile(join(directory, name!), new Uint8Array([0, 0, 0, 9, 1]));
    await expect(storage.get('k')).rejects.toThrow(/damaged/);
  });

  it('a client process restart resends offline edits from the files', async () => {
    const w = world();
    try {
      const first = w.client({ storage: new FileStorage(directory) });
      const t1 = await first.client.open('notes', Text);
      await first.client.synced();
      first.transport.reachable = false;
      first.transport.cut();
      t1.insert(0, 'kept on disk');
      await first.client.close();
      const second = w.client({ storage: new FileStorage(directory) });
      const t2 = await second.client.open('notes', Text);
      expect(t2.toString()).toBe('kept on disk');
      await second.client.synced();
      const observer = await w.client().client.open('notes', Text);
      expect(observer.toString()).toBe('kept on disk');
      expect((await w.store.load('notes'))?.entries.length).toBe(1);
    } finally {
      await w.close();
    }
  });
});
