/**
 * The client's journal: a local change made just before a reload, while its storage write
 * is still running, survives in the journal, is replayed when the document is opened
 * again, and reaches the server exactly once.
 *
 * A "page" here is a SyncClient over a PageStorage: writes take a few milliseconds, and a
 * crash (the reload) ends them without finishing: each write in flight is lost, or lands
 * on disk but never resolves, as an IndexedDB transaction cut off by a reload may.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PNCounter, Text } from '../../../src/crdt/index.js';
import { MemoryJournal, webStorageJournal, type SyncJournal, type WebStorageLike } from '../../../src/sync/journal.js';
import { SyncClientError } from '../../../src/sync/session.js';
import { MemoryStorage, type ClientStorage } from '../../../src/sync/storage.js';
import { runs } from '../../helpers/property.js';
import { settle, world, type Connected, type World } from './harness.js';

/** One page's view of a disk that outlives it. */
class PageStorage implements ClientStorage {
  /** When true, document writes do not finish until the crash. */
  holdWrites = false;
  private crashed = false;
  private readonly inflight = new Set<{ readonly key: string; readonly value: Uint8Array }>();

  constructor(
    private readonly disk: MemoryStorage,
    private readonly delay: () => number = () => 1,
  ) {}

  get(key: string): Promise<Uint8Array | undefined> {
    return this.disk.get(key);
  }

  keys(prefix: string): Promise<string[]> {
    return this.disk.keys(prefix);
  }

  delete(key: string): Promise<void> {
    return this.disk.delete(key);
  }

  set(key: string, value: Uint8Array): Promise<void> {
    if (this.crashed) return new Promise<void>(() => {});
    const write = { key, value: value.slice() };
    this.inflight.add(write);
    return new Promise<void>((resolve, reject) => {
      if (this.holdWrites && key.startsWith('doc:')) return;
      setTimeout(() => {
        if (this.crashed) return;
        this.inflight.delete(write);
        this.disk.set(write.key, write.value).then(resolve, reject);
      }, this.delay());
    });
  }

  /** Ends the page: the writes in flight never resolve; each lands on disk when `land` says so. */
  crash(land: () => boolean = () => false): void {
    this.crashed = true;
    for (const write of this.inflight) if (land()) void this.disk.set(write.key, write.value);
    this.inflight.clear();
  }
}

/** A page's client: reloading crashes its storage and abandons the client without a final write. */
function reload(w: World, page: { connected: Connected; storage: PageStorage }, disk: MemoryStorage, journal: SyncJournal, land?: () => boolean) {
  page.storage.crash(land);
  void page.connected.client.close();
  const storage = new PageStorage(disk);
  return { connected: w.client({ storage, journal }), storage };
}

/** A journal that can be made to fail as a full localStorage does. */
class FullJournal extends MemoryJournal {
  full = true;
  override append(key: string, value: Uint8Array): void {
    if (this.full) throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
    super.append(key, value);
  }
}

/** A Web Storage in memory, holding at most `quota` characters of keys and values. */
class FakeWebStorage implements WebStorageLike {
  readonly items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    let used = key.length + value.length;
    for (const [k, v] of this.items) if (k !== key) used += k.length + v.length;
    if (used > this.quota) throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

let w: World;
afterEach(async () => {
  await w.close();
});

/** The value the server holds for a counter, read by a new client. */
async function serverCount(name: string): Promise<number> {
  const observer = await w.client().client.open(name, PNCounter);
  return observer.value;
}

describe('SyncClient: journal', () => {
  it('a change cut off by a reload during its storage write is replayed and reaches the server once', async () => {
    w = world();
    const disk = new MemoryStorage();
    const journal = new MemoryJournal();
    const storage = new PageStorage(disk);
    let page = { connected: w.client({ storage, journal }), storage };
    const counter = await page.connected.client.open('count', PNCounter);
    counter.increment(2);
    await page.connected.client.synced();
    await page.connected.client.flush();
    page.storage.holdWrites = true;
    counter.increment(5);
    // Journaled in the same turn as the change, before any write could start.
    expect(journal.size).toBe(1);
    await settle(20);
    expect(await serverCount('count')).toBe(2);

    page = reload(w, page, disk, journal);
    page.connected.transport.reachable = false;
    const restored = await page.connected.client.open('count', PNCounter);
    expect(restored.value).toBe(7);
    expect(page.connected.client.pending).toBe(1);
    await page.connected.client.flush();
    expect(journal.size).toBe(0);
    page.connected.transport.reachable = true;
    await page.connected.client.synced();
    expect(page.connected.client.pending).toBe(0);
    expect(await serverCount('count')).toBe(7);
    expect((await w.store.load('count'))?.entries.length).toBe(2);

    // The replica's counter went on from the replayed change: a new change is accepted.
    restored.increment(1);
    await page.connected.client.synced();
    expect(await serverCount('count')).toBe(8);

    // A reload after everything finished replays and sends nothing.
    await page.connected.client.close();
    const updates = w.lossy.count('update');
    const again = w.client({ storage: new PageStorage(disk), journal });
    expect((await again.client.open('count', PNCounter)).value).toBe(8);
    await again.client.synced();
    expect(w.lossy.count('update')).toBe(updates);
    expect((await w.store.load('count'))?.entries.length).toBe(3);
  });

  it('a write that landed but never resolved is replayed idempotently', async () => {
    w = world();
    const disk = new MemoryStorage();
    const journal = new MemoryJournal();
    const storage = new PageStorage(disk);
    let page = { connected: w.client({ storage, journal }), storage };
    const text = await page.connected.client.open('notes', Text);
    page.storage.holdWrites = true;
    text.insert(0, 'ab');
    text.insert(2, 'cd');
    expect(journal.size).toBe(2);
    page = reload(w, page, disk, journal, () => true);
    const restored = await page.connected.client.open('notes', Text);
    expect(restored.toString()).toBe('abcd');
    await page.connected.client.synced();
    expect(journal.size).toBe(0);
    const observer = await w.client().client.open('notes', Text);
    expect(observer.toString()).toBe('abcd');
  });

  it('two reloads in a row, each during a write, keep the changes of both pages', async () => {
    w = world();
    const disk = new MemoryStorage();
    const journal = new MemoryJournal();
    const storage = new PageStorage(disk);
    let page = { connected: w.client({ storage, journal }), storage };
    page.connected.transport.reachable = false;
    let text = await page.connected.client.open('notes', Text);
    page.storage.holdWrites = true;
    text.insert(0, 'first page');
    page = reload(w, page, disk, journal);
    page.connected.transport.reachable = false;
    page.storage.holdWrites = true;
    text = await page.connected.client.open('notes', Text);
    text.insert(10, ', second page');
    const id = page.connected.client.client!;
    expect(journal.entries('').map(([key]) => key).sort()).toEqual([`${id}/notes/1`, `${id}/notes/2`]);
    page = reload(w, page, disk, journal);
    const restored = await page.connected.client.open('notes', Text);
    expect(restored.toString()).toBe('first page, second page');
    expect(page.connected.client.pending).toBe(2);
    await page.connected.client.synced();
    expect(journal.size).toBe(0);
    expect((await w.client().client.open('notes', Text)).toString()).toBe('first page, second page');
  });

  it('removes entries once a storage write holds them', async () => {
    w = world();
    const journal = new MemoryJournal();
    const { client } = w.client({ journal });
    const text = await client.open('notes', Text);
    text.insert(0, 'a');
    text.insert(1, 'b');
    const id = client.client!;
    expect(journal.entries('').map(([key]) => key).sort()).toEqual([`${id}/notes/1`, `${id}/notes/2`]);
    await client.flush();
    expect(journal.size).toBe(0);
    text.insert(2, 'c');
    expect(journal.entries('').map(([key]) => key)).toEqual([`${id}/notes/3`]);
    await client.synced();
    expect(journal.size).toBe(0);
  });

  it('an entry holds what the storage lacks, not the whole document', async () => {
    w = world();
    const journal = new MemoryJournal();
    const { client } = w.client({ journal });
    const text = await client.open('notes', Text);
    text.insert(0, 'x'.repeat(5000));
    await client.flush();
    text.insert(0, 'y');
    expect(journal.entries('')[0]![1].length).toBeLessThan(200);
    await client.flush();
    // Changes from the server are in no entry once stored.
    const other = w.client().client;
    const shared = await other.open('notes', Text);
    shared.insert(0, 'z'.repeat(5000));
    await other.synced();
    await client.synced();
    await client.flush();
    expect(text.length).toBe(10_001);
    text.insert(0, 'w');
    expect(journal.entries('')[0]![1].length).toBeLessThan(200);
  });

  it('keeps the entries of documents whose names extend one another apart', async () => {
    w = world();
    const disk = new MemoryStorage();
    const journal = new MemoryJournal();
    const storage = new PageStorage(disk);
    let page = { connected: w.client({ storage, journal }), storage };
    const a = await page.connected.client.open('a', Text);
    const a1 = await page.connected.client.open('a/1', Text);
    page.storage.holdWrites = true;
    a.insert(0, 'in a');
    a1.insert(0, 'in a/1');
    page = reload(w, page, disk, journal);
    expect((await page.connected.client.open('a', Text)).toString()).toBe('in a');
    expect((await page.connected.client.open('a/1', Text)).toString()).toBe('in a/1');
  });

  it('a journal that cannot take an entry does not stop editing, and reports it once', async () => {
    w = world();
    const journal = new FullJournal();
    const { client } = w.client({ journal });
    const errors: SyncClientError[] = [];
    client.on('error', (error) => errors.push(error));
    const counter = await client.open('count', PNCounter);
    counter.increment(1);
    counter.increment(2);
    counter.increment(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('storage');
    expect(errors[0]!.doc).toBe('count');
    expect(errors[0]!.cause).toBeInstanceOf(DOMException);
    await client.synced();
    expect(counter.value).toBe(6);
    expect(await serverCount('count')).toBe(6);
    // Once it takes entries again, they are journaled and removed as usual.
    journal.full = false;
    counter.increment(4);
    expect(journal.size).toBe(1);
    await client.synced();
    expect(journal.size).toBe(0);
    expect(errors).toHaveLength(1);
  });

  it('after a failed append, the next entry also holds the change it missed', async () => {
    w = world();
    const disk = new MemoryStorage();
    const journal = new FullJournal();
    const storage = new PageStorage(disk);
    let page = { connected: w.client({ storage, journal }), storage };
    const errors: SyncClientError[] = [];
    page.connected.client.on('error', (error) => errors.push(error));
    const text = await page.connected.client.open('notes', Text);
    page.storage.holdWrites = true;
    text.insert(0, 'missed ');
    journal.full = false;
    text.insert(7, 'journaled');
    expect(errors).toHaveLength(1);
    page = reload(w, page, disk, journal);
    expect((await page.connected.client.open('notes', Text)).toString()).toBe('missed journaled');
    await page.connected.client.synced();
    expect((await w.client().client.open('notes', Text)).toString()).toBe('missed journaled');
  });

  it('an entry that does not merge is reported and dropped; the document still opens', async () => {
    w = world();
    const disk = new MemoryStorage();
    const journal = new MemoryJournal();
    const first = w.client({ storage: disk, journal });
    const text = await first.client.open('notes', Text);
    text.insert(0, 'kept');
    await first.client.close();
    journal.append(`${first.client.client!}/notes/1`, new Uint8Array([1, 2, 3]));
    const second = w.client({ storage: disk, journal });
    const errors: SyncClientError[] = [];
    second.client.on('error', (error) => errors.push(error));
    expect((await second.client.open('notes', Text)).toString()).toBe('kept');
    expect(errors.map((e) => e.code)).toEqual(['storage']);
    expect(errors[0]!.message).toContain('does not merge');
    expect(journal.size).toBe(0);
  });

  it('a journal that cannot be read is reported; the document opens from storage', async () => {
    w = world();
    const journal = new MemoryJournal();
    journal.entries = () => {
      throw new TypeError('unreadable');
    };
    const { client } = w.client({ journal });
    const errors: SyncClientError[] = [];
    client.on('error', (error) => errors.push(error));
    const text = await client.open('notes', Text);
    expect(errors.map((e) => e.message)).toEqual(['could not read the journal of notes: unreadable']);
    text.insert(0, 'works');
    await client.synced();
    expect((await w.client().client.open('notes', Text)).toString()).toBe('works');
  });
});

describe('webStorageJournal', () => {
  it('keeps bytes as base64 items under its prefix, and lists only its own', () => {
    const web = new FakeWebStorage();
    web.setItem('other', 'x');
    const journal = webStorageJournal(web, 'app:');
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    journal.append('c/doc/1', bytes);
    journal.append('c/doc/2', new Uint8Array(0));
    journal.append('c/other/1', new Uint8Array([7]));
    expect(web.getItem('app:c/doc/2')).toBe('');
    expect(web.getItem('app:c/other/1')).toBe('Bw==');
    const entries = journal.entries('c/doc/').sort(([a], [b]) => a.localeCompare(b));
    expect(entries).toEqual([
      ['c/doc/1', bytes],
      ['c/doc/2', new Uint8Array(0)],
    ]);
    journal.remove('c/doc/1');
    expect(web.getItem('app:c/doc/1')).toBeNull();
    expect(journal.entries('c/').map(([key]) => key).sort()).toEqual(['c/doc/2', 'c/other/1']);
    expect(web.getItem('other')).toBe('x');
  });

  it('names the item that is not base64', () => {
    const web = new FakeWebStorage();
    web.setItem('tandem:c/doc/1', '%%%');
    expect(() => webStorageJournal(web).entries('c/')).toThrow('the journal entry "tandem:c/doc/1" is not base64');
  });

  it('needs a Web Storage', () => {
    expect(() => webStorageJournal(undefined)).toThrow(TypeError);
  });

  it('a full storage is reported while the change still reaches the server', async () => {
    w = world();
    const web = new FakeWebStorage(200);
    const { client } = w.client({ journal: webStorageJournal(web) });
    const errors: SyncClientError[] = [];
    client.on('error', (error) => errors.push(error));
    const text = await client.open('notes', Text);
    text.insert(0, 'small');
    expect(web.length).toBe(1);
    text.insert(5, ' and then a lot more than two hundred characters '.repeat(5));
    expect(errors).toHaveLength(1);
    expect((errors[0]!.cause as DOMException).name).toBe('QuotaExceededError');
    await client.synced();
    expect(web.length).toBe(0);
    expect((await w.client().client.open('notes', Text)).toString()).toBe(text.toString());
  });

  it('a change cut off by a reload is replayed from Web Storage', async () => {
    w = world();
    const disk = new MemoryStorage();
    const journal = webStorageJournal(new FakeWebStorage());
    const storage = new PageStorage(disk);
    let page = { connected: w.client({ storage, journal }), storage };
    const text = await page.connected.client.open('notes', Text);
    page.storage.holdWrites = true;
    text.insert(0, 'typed just before the reload');
    page = reload(w, page, disk, journal);
    expect((await page.connected.client.open('notes', Text)).toString()).toBe('typed just before the reload');
    await page.connected.client.synced();
    expect((await w.client().client.open('notes', Text)).toString()).toBe('typed just before the reload');
  });
});

type Step =
  | { readonly kind: 'edit'; readonly who: number; readonly at: number }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'reload'; readonly who: number; readonly land: readonly boolean[] }
  | { readonly kind: 'cut'; readonly who: number };

const CLIENTS = 2;
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('edit' as const), who: fc.nat(CLIENTS - 1), at: fc.nat(1000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reload' as const), who: fc.nat(CLIENTS - 1), land: fc.array(fc.boolean(), { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), who: fc.nat(CLIENTS - 1) }) },
);

describe('SyncClient: journal, random reloads', () => {
  it('every character typed before any reload reaches the server exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (steps, seed) => {
        w = world();
        try {
          let random = seed;
          // Write durations of 0-3 ms, from the seed: writes overlap edits, waits and reloads.
          const delay = (): number => (random = (random * 1103515245 + 12345) % 2 ** 31) % 4;
          const disks = Array.from({ length: CLIENTS }, () => new MemoryStorage());
          const journals = Array.from({ length: CLIENTS }, () => new MemoryJournal());
          const pages = disks.map((disk, i) => {
            const storage = new PageStorage(disk, delay);
            return { connected: w.client({ storage, journal: journals[i]! }), storage };
          });
          const docs = await Promise.all(pages.map((page) => page.connected.client.open('doc', Text)));
          let typed = 0;
          for (const s of steps) {
            switch (s.kind) {
              case 'edit': {
                const doc = docs[s.who]!;
                doc.insert(Math.min(s.at, doc.length), String.fromCharCode(0x4e00 + typed++));
                break;
              }
              case 'wait':
                await settle(s.ms);
                break;
              case 'cut':
                pages[s.who]!.connected.transport.cut();
                break;
              case 'reload': {
                let i = 0;
                const old = pages[s.who]!;
                old.storage.crash(() => s.land[i++ % Math.max(s.land.length, 1)] ?? false);
                void old.connected.client.close();
                const storage = new PageStorage(disks[s.who]!, delay);
                pages[s.who] = { connected: w.client({ storage, journal: journals[s.who]! }), storage };
                docs[s.who] = await pages[s.who]!.connected.client.open('doc', Text);
                break;
              }
            }
          }
          await Promise.all(pages.map((page) => page.connected.client.synced()));
          await Promise.all(pages.map((page) => page.connected.client.synced()));
          const expected = Array.from({ length: typed }, (_, i) => String.fromCharCode(0x4e00 + i)).join('');
          const observer = await w.client().client.open('doc', Text);
          expect([...observer.toString()].sort().join('')).toBe(expected);
          for (const doc of docs) expect(doc.toString()).toBe(observer.toString());
          for (const page of pages) expect(page.connected.client.pending).toBe(0);
          await Promise.all(pages.map((page) => page.connected.client.flush()));
          for (const journal of journals) expect(journal.size).toBe(0);
        } finally {
          await w.close();
        }
      }),
      { ...runs(30), timeout: 5000 },
    );
  });
});
