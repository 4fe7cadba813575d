import { afterEach, describe, expect, it } from 'vitest';
import { AWSet, LWWMap, PNCounter, Text, type Replicated } from '../../../src/crdt/index.js';
import { MemoryStorage } from '../../../src/sync/storage.js';
import { SyncClientError } from '../../../src/sync/session.js';
import { eventually, settle, world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.close();
});

/** Entries the hub's store holds for `doc`. */
async function entries(doc: string): Promise<number> {
  return (await w.store.load(doc))?.entries.length ?? 0;
}

describe('SyncClient: replicated documents', () => {
  const types: [string, (doc: Replicated, side: 'left' | 'right') => void, (doc: Replicated) => unknown][] = [
    ['Text', (d, side) => void (d as Text).insert(0, side === 'left' ? 'ab' : 'xy'), (d) => (d as Text).toString()],
    ['PNCounter', (d, side) => void (d as PNCounter).increment(side === 'left' ? 3 : 4), (d) => (d as PNCounter).value],
    ['AWSet', (d, side) => void (d as AWSet<string>).add(side), (d) => (d as AWSet<string>).values().sort()],
    ['LWWMap', (d, side) => void (d as LWWMap<number>).set(side, side.length), (d) => (d as LWWMap<number>).entries().sort()],
  ];
  const classes = { Text, PNCounter, AWSet, LWWMap } as const;

  for (const [name, edit, read] of types) {
    it(`two clients converge on a ${name} edited concurrently`, async () => {
      w = world();
      const Type = classes[name as keyof typeof classes] as new (options: { replica: string }) => Replicated;
      const a = w.client().client;
      const b = w.client().client;
      const da = await a.open('doc', Type);
      const db = await b.open('doc', Type);
      edit(da, 'left');
      edit(db, 'right');
      await Promise.all([a.synced(), b.synced()]);
      await Promise.all([a.synced(), b.synced()]);
      expect(read(da)).toEqual(read(db));
      // A third client that opens later receives the same state from the server.
      const c = w.client().client;
      const dc = await c.open('doc', Type);
      expect(read(dc)).toEqual(read(da));
      expect(a.pending + b.pending).toBe(0);
    });
  }

  it('keeps local edits made offline and sends them after reconnecting', async () => {
    w = world();
    const { client: a, transport } = w.client();
    const b = w.client().client;
    const ta = await a.open('notes', Text);
    const tb = await b.open('notes', Text);
    transport.reachable = false;
    transport.cut();
    await eventually(() => a.status === 'offline');
    ta.insert(0, 'offline ');
    ta.insert(8, 'edit');
    expect(ta.toString()).toBe('offline edit');
    expect(a.pending).toBe(2);
    await settle(30);
    expect(tb.toString()).toBe('');
    transport.reachable = true;
    await a.synced();
    await b.synced();
    expect(tb.toString()).toBe('offline edit');
    expect(a.pending).toBe(0);
  });

  it('a reload resends the stored outbox once, and a second reload sends nothing', async () => {
    w = world();
    const storage = new MemoryStorage();
    const first = w.client({ storage });
    const t1 = await first.client.open('notes', Text);
    t1.insert(0, 'seen');
    await first.client.synced();
    expect(await entries('notes')).toBe(1);
    first.transport.reachable = false;
    first.transport.cut();
    await eventually(() => first.client.status === 'offline');
    t1.insert(4, ' offline');
    await first.client.close();
    expect(await entries('notes')).toBe(1);

    const offline = w.client({ storage });
    offline.transport.reachable = false;
    const stored = await offline.client.open('notes', Text);
    expect(stored.toString()).toBe('seen offline');
    expect(offline.client.pending).toBe(1);
    await offline.client.close();

    const second = w.client({ storage });
    const t2 = await second.client.open('notes', Text);
    expect(t2.toString()).toBe('seen offline');
    expect(second.client.client).toBe(first.client.client);
    await second.client.synced();
    expect(await entries('notes')).toBe(2);
    await second.client.close();

    const stillOffline = w.client({ storage });
    stillOffline.transport.reachable = false;
    await stillOffline.client.open('notes', Text);
    expect(stillOffline.client.pending).toBe(0);
    await stillOffline.client.close();

    const updates = w.lossy.count('update');
    const third = w.client({ storage });
    const t3 = await third.client.open('notes', Text);
    await third.client.synced();
    expect(t3.toString()).toBe('seen offline');
    expect(await entries('notes')).toBe(2);
    expect(w.lossy.count('update')).toBe(updates);
    const observer = await w.client().client.open('notes', Text);
    expect(observer.toString()).toBe('seen offline');
  });

  it('an update applied by the server whose ack was lost is not applied again after a reload', async () => {
    w = world();
    const storage = new MemoryStorage();
    const first = w.client({ storage });
    const counter = await first.client.open('count', PNCounter);
    await first.client.synced();
    w.lossy.dropReplies = true;
    counter.increment(5);
    await eventually(() => w.hub.documents === 1 && first.client.pending === 1);
    await settle(50);
    expect(await entries('count')).toBe(1);
    expect(first.client.pending).toBe(1);
    await first.client.close();
    w.lossy.dropReplies = false;

    const second = w.client({ storage });
    const again = await second.client.open('count', PNCounter);
    await second.client.synced();
    expect(again.value).toBe(5);
    expect(second.client.pending).toBe(0);
    expect(await entries('count')).toBe(1);
    const observer = await w.client().client.open('count', PNCounter);
    expect(observer.value).toBe(5);
  });

  it('stores a change before sending it', async () => {
    w = world();
    const inner = new MemoryStorage();
    let release: (() => void) | undefined;
    const gated = {
      get: (key: string) => inner.get(key),
      keys: (prefix: string) => inner.keys(prefix),
      delete: (key: string) => inner.delete(key),
      set: async (key: string, value: Uint8Array) => {
        if (key.startsWith('doc:') && release === undefined) await new Promise<void>((resolve) => (release = resolve));
        await inner.set(key, value);
      },
    };
    const a = w.client({ storage: gated }).client;
    const text = await a.open('notes', Text);
    await settle(20);
    release!();
    await a.synced();
    release = undefined;
    const before = w.lossy.count('update');
    text.insert(0, 'x');
    await settle(30);
    expect(w.lossy.count('update')).toBe(before);
    expect(await inner.get('doc:notes')).toBeDefined();
    release!();
    await a.synced();
    expect(w.lossy.count('update')).toBe(before + 1);
  });

  it('a change the server merged but had not made durable when the link dropped stays pending until acknowledged', async () => {
    w = world();
    const append = w.store.append.bind(w.store);
    let release: (() => void) | undefined;
    w.store.append = async (doc, type, seq, bytes) => {
      if (release === undefined) await new Promise<void>((resolve) => (release = resolve));
      return append(doc, type, seq, bytes);
    };
    const { client: a, transport } = w.client();
    const text = await a.open('notes', Text);
    text.insert(0, 'slow disk');
    await eventually(() => release !== undefined);
    transport.cut();
    await eventually(() => a.status === 'online');
    await settle(20);
    // The server's version counts the change (merged in memory), but it is not durable.
    expect(a.pending).toBe(1);
    release!();
    await a.synced();
    expect(a.pending).toBe(0);
    expect(await entries('notes')).toBe(1);
  });

  it("a server that lost its data is given everything again, other clients' changes included", async () => {
    w = world();
    const storage = new MemoryStorage();
    const a = w.client({ storage });
    const b = w.client();
    const ta = await a.client.open('notes', Text);
    const tb = await b.client.open('notes', Text);
    tb.insert(0, 'from b, ');
    await b.client.synced();
    await a.client.synced();
    ta.insert(ta.length, 'from a');
    await a.client.synced();
    await a.client.close();
    await w.close();

    // The same client, against a server restored empty.
    w = world();
    const again = w.client({ storage });
    const errors: string[] = [];
    again.client.on('error', (error) => errors.push(error.code));
    const text = await again.client.open('notes', Text);
    await again.client.synced();
    const observer = await w.client().client.open('notes', Text);
    expect(observer.toString()).toBe('from b, from a');
    expect(text.toString()).toBe('from b, from a');
    expect(errors).toEqual([]);
  });

  it('updates the server keeps rejecting stay local: synced() rejects, and a new connection tries again', async () => {
    w = world();
    const { client: a, transport } = w.client();
    const errors: string[] = [];
    a.on('error', (error) => errors.push(error.code));
    const text = await a.open('notes', Text);
    w.lossy.corruptUpdates = true;
    text.insert(0, 'kept');
    await expect(a.synced()).rejects.toMatchObject({ code: 'rejected', doc: 'notes' });
    expect(errors).toEqual(['rejected', 'rejected', 'rejected']);
    expect(a.pending).toBe(1);
    expect(await entries('notes')).toBe(0);
    w.lossy.corruptUpdates = false;
    transport.cut();
    await a.synced();
    expect(a.pending).toBe(0);
    expect((await w.client().client.open('notes', Text)).toString()).toBe('kept');
  });

  it('synced() waits for every local change to be acknowledged and for what the server held', async () => {
    w = world();
    const a = w.client().client;
    const b = w.client().client;
    const ta = await a.open('notes', Text);
    const tb = await b.open('notes', Text);
    ta.insert(0, 'x');
    let done = false;
    const waiting = a.synced().then(() => {
      done = true;
    });
    expect(a.pending).toBe(1);
    await waiting;
    expect(done).toBe(true);
    expect(a.pending).toBe(0);
    expect(await entries('notes')).toBe(1);
    // b has not called synced, but its synced() now brings what the server held.
    await b.synced();
    expect(tb.toString()).toBe('x');
  });

  it('reports the pending count as it changes', async () => {
    w = world();
    const a = w.client().client;
    const seen: number[] = [];
    a.on('pending', (n) => seen.push(n));
    const t = await a.open('notes', Text);
    t.insert(0, 'a');
    t.insert(1, 'b');
    await a.synced();
    expect(seen[0]).toBe(1);
    expect(seen).toContain(2);
    expect(seen[seen.length - 1]).toBe(0);
  });

  it('rejects open() when the server forbids the document, and the type-mismatch', async () => {
    w = world({ authorize: ({ doc }) => (doc === 'secret' ? false : doc === 'shown' ? 'read' : 'write') });
    const a = w.client().client;
    await expect(a.open('secret', Text)).rejects.toMatchObject({ code: 'forbidden', doc: 'secret' });
    await (await a.open('count', PNCounter)).increment(1);
    await a.synced();
    const b = w.client().client;
    const refused = b.open('count', Text);
    await expect(refused).rejects.toBeInstanceOf(SyncClientError);
    await expect(refused).rejects.toMatchObject({ code: 'type-mismatch' });
  });

  it('a read-only document receives changes, keeps local ones pending, and synced() refuses to wait for them', async () => {
    let readerId = '';
    w = world({ authorize: ({ client }) => (client === readerId ? 'read' : 'write') });
    const writer = w.client().client;
    const reader = w.client().client;
    await eventually(() => reader.client !== undefined);
    readerId = reader.client!;
    const tw = await writer.open('notes', Text);
    const tr = await reader.open('notes', Text);
    tw.insert(0, 'hi');
    await writer.synced();
    await reader.synced();
    expect(tr.toString()).toBe('hi');
    tr.insert(0, '!');
    await expect(reader.synced()).rejects.toMatchObject({ code: 'forbidden' });
    expect(reader.pending).toBe(1);
    await settle(20);
    expect(tw.toString()).toBe('hi');
  });

  it('a subscribe the server fails on is retried on a new connection; one over the document limit is refused', async () => {
    w = world({ limits: { maxDocsPerConnection: 1 } });
    const load = w.store.load.bind(w.store);
    let failures = 1;
    w.store.load = async (doc: string) => {
      if (failures-- > 0) throw new Error('disk hiccup');
      return load(doc);
    };
    const a = w.client().client;
    const errors: string[] = [];
    a.on('error', (error) => errors.push(error.code));
    const text = await a.open('notes', Text);
    text.insert(0, 'ok');
    await a.synced();
    expect(errors).toEqual(['internal']);
    expect((await w.store.load('notes'))?.entries.length).toBe(1);
    await expect(a.open('other', Text)).rejects.toMatchObject({ code: 'limit-exceeded', doc: 'other' });
  });

  it('opening a name twice gives the same document; another type is a TypeError', async () => {
    w = world();
    const a = w.client().client;
    const [x, y] = await Promise.all([a.open('n', Text), a.open('n', Text)]);
    expect(x).toBe(y);
    await expect(a.open('n', PNCounter)).rejects.toBeInstanceOf(TypeError);
    await expect(a.openOT('n', 'text')).rejects.toBeInstanceOf(TypeError);
  });

  it('a stored copy of another type is refused with a TypeError', async () => {
    w = world();
    const storage = new MemoryStorage();
    const first = w.client({ storage });
    (await first.client.open('n', Text)).insert(0, 'x');
    await first.client.close();
    const second = w.client({ storage });
    await expect(second.client.open('n', PNCounter)).rejects.toThrow(/stored as a text/);
  });
});
