import { afterEach, describe, expect, it } from 'vitest';
import { PNCounter, Text } from '../../../src/crdt/index.js';
import type { ClientStatus } from '../../../src/sync/client.js';
import { MemoryStorage } from '../../../src/sync/storage.js';
import { eventually, settle, world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.close();
});

describe('SyncClient: pause and resume', () => {
  it('pause disconnects and stays offline; edits wait in the outbox and resume sends them at once', async () => {
    w = world();
    // A retry a minute away: only resume() can bring the client back in time.
    const { client: a, transport } = w.client({ backoff: { base: 60_000, cap: 60_000 }, random: () => 0.99 });
    const b = w.client().client;
    const ta = await a.open('notes', Text);
    const tb = await b.open('notes', Text);
    const statuses: ClientStatus[] = [];
    const pendings: number[] = [];
    a.on('status', (status) => statuses.push(status));
    a.on('pending', (pending) => pendings.push(pending));

    a.pause();
    expect(a.paused).toBe(true);
    expect(a.status).toBe('offline');
    await settle(30);
    expect(transport.connections).toBe(0);
    ta.insert(0, 'written offline');
    ta.delete(0, 8);
    expect(ta.toString()).toBe('offline');
    expect(a.pending).toBe(2);
    expect(pendings).toEqual([1, 2]);
    await settle(30);
    // Still paused: no reconnection, nothing reached the other client.
    expect(transport.connections).toBe(0);
    expect(a.status).toBe('offline');
    expect(tb.toString()).toBe('');

    a.resume();
    expect(a.paused).toBe(false);
    expect(a.status).toBe('connecting');
    await a.synced();
    await b.synced();
    expect(tb.toString()).toBe('offline');
    expect(a.pending).toBe(0);
    expect(pendings.at(-1)).toBe(0);
    expect(statuses).toEqual(['offline', 'connecting', 'online']);
  });

  it('does not retry while paused after the connection was lost, and resume cuts the backoff short', async () => {
    w = world();
    const { client, transport } = w.client({ backoff: { base: 60_000, cap: 60_000 }, random: () => 0.99 });
    await client.open('count', PNCounter);
    transport.reachable = false;
    transport.cut();
    await eventually(() => client.status === 'offline');
    transport.reachable = true;
    client.pause();
    await settle(30);
    expect(client.status).toBe('offline');
    expect(transport.connections).toBe(0);
    client.resume();
    await eventually(() => client.status === 'online', 1000);
    expect(transport.connections).toBe(1);
  });

  it('resume while waiting to retry a lost connection reconnects at once', async () => {
    w = world();
    const { client, transport } = w.client({ backoff: { base: 60_000, cap: 60_000 }, random: () => 0.99 });
    await client.open('count', PNCounter);
    transport.reachable = false;
    transport.cut();
    await eventually(() => client.status === 'offline');
    transport.reachable = true;
    await settle(30);
    expect(transport.connections).toBe(0);
    client.resume();
    await eventually(() => client.status === 'online', 1000);
  });

  it('paused before the client id is read, it never connects until resumed', async () => {
    w = world();
    const storage = new MemoryStorage();
    const { client, transport } = w.client({ storage });
    client.pause();
    await settle(30);
    expect(client.client).toBeDefined();
    expect(client.status).toBe('offline');
    expect(transport.connections).toBe(0);
    // open() resolves from storage while paused.
    const counter = await client.open('count', PNCounter);
    counter.increment(3);
    expect(client.pending).toBe(1);
    client.resume();
    await client.synced();
    const other = await w.client().client.open('count', PNCounter);
    expect(other.value).toBe(3);
  });

  it('clears the peers presence while paused and shares its own again after resuming', async () => {
    w = world();
    const a = w.client().client;
    const b = w.client().client;
    await a.open('notes', Text);
    await b.open('notes', Text);
    a.presence('notes').set({ name: 'alice' });
    b.presence('notes').set({ name: 'bob' });
    await eventually(() => a.presence('notes').peers.size === 1 && b.presence('notes').peers.size === 1);
    a.pause();
    expect(a.presence('notes').peers.size).toBe(0);
    await eventually(() => b.presence('notes').peers.size === 0);
    a.resume();
    await eventually(() => a.presence('notes').peers.size === 1 && b.presence('notes').peers.size === 1);
    expect([...b.presence('notes').peers.values()]).toEqual([{ name: 'alice' }]);
  });

  it('synced() made while paused waits for resume; close() while paused rejects it', async () => {
    w = world();
    const a = w.client().client;
    const counter = await a.open('count', PNCounter);
    a.pause();
    counter.increment(4);
    let settled = false;
    const waiting = a.synced().then(() => {
      settled = true;
    });
    await settle(40);
    expect(settled).toBe(false);
    a.resume();
    await waiting;
    expect((await w.client().client.open('count', PNCounter)).value).toBe(4);

    const c = w.client().client;
    await c.open('count', PNCounter);
    c.pause();
    const closing = c.synced();
    await settle(20);
    await c.close();
    await expect(closing).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('pause and resume are no-ops when repeated, and after close', async () => {
    w = world();
    const { client, transport } = w.client();
    await client.open('count', PNCounter);
    client.resume();
    expect(client.status).toBe('online');
    expect(transport.connections).toBe(1);
    client.pause();
    client.pause();
    client.resume();
    client.resume();
    await eventually(() => client.status === 'online');
    await settle(20);
    expect(transport.connections).toBe(1);
    await client.close();
    client.resume();
    await settle(20);
    expect(client.status).toBe('offline');
    expect(transport.connections).toBe(0);
  });
});
