import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../src/sync/storage.js';
import { eventually, settle, world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.close();
});

describe('SyncClient: OT documents', () => {
  it('two clients converge on plain text edited concurrently', async () => {
    w = world();
    const a = w.client().client;
    const b = w.client().client;
    const da = await a.openOT('draft', 'text');
    const db = await b.openOT('draft', 'text');
    da.insert(0, 'hello');
    db.insert(0, 'world');
    await Promise.all([a.synced(), b.synced()]);
    await Promise.all([a.synced(), b.synced()]);
    expect(da.value).toBe(db.value);
    expect(da.value.length).toBe(10);
    da.delete(0, 2);
    await a.synced();
    await b.synced();
    expect(db.value).toBe(da.value);
    expect(da.revision).toBe(3);
  });

  it('rich text: formatting reaches the other client', async () => {
    w = world();
    const a = w.client().client;
    const b = w.client().client;
    const da = await a.openOT('rich', 'rich-text');
    const db = await b.openOT('rich', 'rich-text');
    da.insert(0, 'bold move');
    da.format(0, 4, { bold: true });
    await a.synced();
    await b.synced();
    expect(db.value).toEqual([{ insert: 'bold', attributes: { bold: true } }, { insert: ' move' }]);
    expect(db.toString()).toBe('bold move');
  });

  it("undo takes back only this client's edit", async () => {
    w = world();
    const a = w.client().client;
    const b = w.client().client;
    const da = await a.openOT('draft', 'text');
    const db = await b.openOT('draft', 'text');
    da.insert(0, 'mine ');
    await a.synced();
    await b.synced();
    db.insert(5, 'theirs');
    await b.synced();
    await a.synced();
    expect(da.undo()).toBe(true);
    await a.synced();
    await b.synced();
    expect(db.value).toBe('theirs');
    expect(da.value).toBe('theirs');
  });

  it('offline edits are kept across a reload and applied once', async () => {
    w = world();
    const storage = new MemoryStorage();
    const first = w.client({ storage });
    const d1 = await first.client.openOT('draft', 'text');
    d1.insert(0, 'one');
    await first.client.synced();
    first.transport.reachable = false;
    first.transport.cut();
    await eventually(() => first.client.status === 'offline');
    d1.insert(3, ' two');
    d1.insert(7, ' three');
    expect(first.client.pending).toBe(2);
    await first.client.close();

    const second = w.client({ storage });
    const d2 = await second.client.openOT('draft', 'text');
    expect(d2.value).toBe('one two three');
    await second.client.synced();
    const observer = await w.client().client.openOT('draft', 'text');
    expect(observer.value).toBe('one two three');
    expect(second.client.pending).toBe(0);
  });

  it('an op the server applied but whose ack was lost is resent under its sequence number and not applied twice', async () => {
    w = world();
    const storage = new MemoryStorage();
    const first = w.client({ storage });
    const d1 = await first.client.openOT('draft', 'text');
    await first.client.synced();
    w.lossy.dropReplies = true;
    d1.insert(0, 'once');
    await eventually(() => first.client.pending === 1);
    await settle(50);
    expect((await w.store.load('draft'))?.entries.length).toBe(1);
    await first.client.close();
    w.lossy.dropReplies = false;

    const second = w.client({ storage });
    const d2 = await second.client.openOT('draft', 'text');
    await second.client.synced();
    expect(d2.value).toBe('once');
    expect(second.client.pending).toBe(0);
    expect((await w.store.load('draft'))?.entries.length).toBe(1);
    const observer = await w.client().client.openOT('draft', 'text');
    expect(observer.value).toBe('once');
  });
});
