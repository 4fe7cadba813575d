import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LevelStore } from '../../src/server/level-store.js';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-level-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('LevelStore', () => {
  it('returns undefined for a document never written', async () => {
    const store = await LevelStore.open(await freshDir());
    expect(await store.load('nothing')).toBeUndefined();
    await store.close();
  });

  it('reads back appends in sequence order after a reopen, with the type of the first append', async () => {
    const dir = await freshDir();
    const store = await LevelStore.open(dir);
    // 9 and 10 would sort wrongly as unpadded strings.
    for (let seq = 1; seq <= 12; seq++) await store.append('doc/with:odd%chars', 'text', seq, bytes(seq, seq));
    await store.append('other', 'pncounter', 1, bytes(99));
    await store.close();
    const again = await LevelStore.open(dir);
    const doc = await again.load('doc/with:odd%chars');
    expect(doc?.type).toBe('text');
    expect(doc?.snapshot).toBeUndefined();
    expect(doc?.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(doc?.entries[9]?.bytes ?? [])).toEqual([10, 10]);
    expect((await again.load('other'))?.entries.map((e) => Array.from(e.bytes))).toEqual([[99]]);
    // A document whose id is a prefix of another's does not see the other's entries.
    expect(await again.load('doc')).toBeUndefined();
    await again.close();
  });

  it('groups concurrent appends and resolves each one', async () => {
    const store = await LevelStore.open(await freshDir());
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(`d${i % 7}`, 'list', Math.floor(i / 7) + 1, bytes(i & 0xff))));
    let total = 0;
    for (let d = 0; d < 7; d++) total += (await store.load(`d${d}`))?.entries.length ?? 0;
    expect(total).toBe(200);
    await store.close();
  });

  it('copies the bytes it is given, so a caller reusing its buffer changes nothing stored', async () => {
    const store = await LevelStore.open(await freshDir());
    const buffer = bytes(1, 2, 3);
    const done = store.append('a', 'text', 1, buffer);
    buffer[0] = 7;
    await done;
    expect(Array.from((await store.load('a'))?.entries[0]?.bytes ?? [])).toEqual([1, 2, 3]);
    await store.close();
  });

  it('compacts: the snapshot replaces entries through the given seq, later ones stay', async () => {
    const dir = await freshDir();
    const store = await LevelStore.open(dir);
    for (let seq = 1; seq <= 5; seq++) await store.append('a', 'text', seq, bytes(seq));
    await store.compact('a', bytes(42), 3);
    await store.append('a', 'text', 6, bytes(6));
    await store.close();
    const again = await LevelStore.open(dir);
    const doc = await again.load('a');
    expect(Array.from(doc?.snapshot ?? [])).toEqual([42]);
    expect(doc?.entries.map((e) => e.seq)).toEqual([4, 5, 6]);
    await again.compact('a', bytes(43), 6);
    const compacted = await again.load('a');
    expect(Array.from(compacted?.snapshot ?? [])).toEqual([43]);
    expect(compacted?.entries).toEqual([]);
    await again.close();
  });

  it('compacting a document that does not exist creates nothing', async () => {
    const store = await LevelStore.open(await freshDir());
    await store.compact('ghost', bytes(1), 4);
    expect(await store.load('ghost')).toBeUndefined();
    await store.close();
  });

  it('finishes pending appends before closing, then refuses new ones', async () => {
    const dir = await freshDir();
    const store = await LevelStore.open(dir);
    const writes = Array.from({ length: 20 }, (_, i) => store.append('a', 'text', i + 1, bytes(i)));
    await store.close();
    await Promise.all(writes);
    await expect(store.append('a', 'text', 21, bytes(0))).rejects.toThrow(/closed/);
    const again = await LevelStore.open(dir);
    expect((await again.load('a'))?.entries.length).toBe(20);
    await again.close();
  });

  it('refuses sequence numbers that are not integers ≥ 1, writing nothing', async () => {
    const store = await LevelStore.open(await freshDir());
    await expect(store.append('a', 'text', 0, bytes(1))).rejects.toThrow(RangeError);
    await expect(store.append('a', 'text', 1.5, bytes(1))).rejects.toThrow(RangeError);
    await expect(store.compact('a', bytes(1), -1)).rejects.toThrow(RangeError);
    expect(await store.load('a')).toBeUndefined();
    await store.close();
  });

  it('refuses to open a directory another store holds open', async () => {
    const dir = await freshDir();
    const store = await LevelStore.open(dir);
    await expect(LevelStore.open(dir)).rejects.toThrow();
    await store.close();
  });
});
